from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Certification, Container, Lot, OcopRating, Product, TraceEvent


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ["name", "owner", "gtin", "internal_code", "unit"]
    search_fields = ["name", "gtin", "internal_code"]


@admin.register(Lot)
class LotAdmin(SimpleHistoryAdmin):
    list_display = ["code", "product", "quantity", "remaining", "unit", "produced_on", "origin", "status"]
    list_filter = ["origin", "status"]
    search_fields = ["code", "product__name"]
    readonly_fields = ["remaining"]


@admin.register(TraceEvent)
class TraceEventAdmin(admin.ModelAdmin):
    list_display = ["event_time", "event_type", "biz_step", "source", "commune"]
    list_filter = ["event_type", "source"]
    readonly_fields = [f.name for f in TraceEvent._meta.fields]


admin.site.register([OcopRating, Certification], SimpleHistoryAdmin)
admin.site.register(Container)
