from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, DatasetVersion, Document


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ("title", "commune", "category", "status", "published_at")
    list_filter = ("status", "category")
    search_fields = ("title",)
    raw_id_fields = ("commune", "author", "published_by")


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "commune", "issued_on", "is_public")
    search_fields = ("number", "title")
    raw_id_fields = ("commune", "created_by")


@admin.register(DatasetVersion)
class DatasetVersionAdmin(admin.ModelAdmin):
    list_display = ("dataset", "number", "commune", "row_count", "created_at")
    list_filter = ("dataset",)
    raw_id_fields = ("commune",)
    exclude = ("content",)
