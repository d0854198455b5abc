from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DiaryEntry, DiaryInput, FarmSettings, GrowingArea, Plot, Season, VillagePoint


class PlotInline(admin.TabularInline):
    model = Plot
    fields = ["name", "household", "area_ha", "source"]
    readonly_fields = ["area_ha"]
    raw_id_fields = ["household"]
    extra = 0


@admin.register(GrowingArea)
class GrowingAreaAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "commune", "crop", "cooperative", "status", "measured_area_ha"]
    list_filter = ["status", "standard", "crop_type"]
    search_fields = ["code", "name", "crop"]
    raw_id_fields = ["households"]
    inlines = [PlotInline]


class DiaryInputInline(admin.TabularInline):
    model = DiaryInput
    extra = 0


@admin.register(DiaryEntry)
class DiaryEntryAdmin(SimpleHistoryAdmin):
    list_display = ["date", "growing_area", "kind", "quantity", "unit"]
    list_filter = ["kind"]
    inlines = [DiaryInputInline]


admin.site.register([FarmSettings, VillagePoint, Season], SimpleHistoryAdmin)
