from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiKey, Category, Holiday, Question, Report, ReportArea


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "commune", "unit", "deadline_amount", "deadline_unit", "is_public", "is_active"]
    list_filter = ["commune", "is_public", "is_active"]
    inlines = [QuestionInline]


@admin.register(Holiday)
class HolidayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "name", "commune"]
    list_filter = ["commune"]


@admin.register(ReportArea)
class ReportAreaAdmin(SimpleHistoryAdmin):
    list_display = ["commune", "latitude", "longitude", "radius_km", "needs_verification"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only here: reports change through the handling pages, which notify the reporter."""

    list_display = ["number", "commune", "category", "status", "unit", "created_at", "deadline"]
    list_filter = ["status", "commune"]
    search_fields = ["number"]
    exclude = ["reporter_name", "reporter_phone", "reporter_email", "token"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    readonly_fields = ["prefix"]
