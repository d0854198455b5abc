from django.contrib import admin

from .models import Contract, Offer, Order, Shop


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["organisation", "commune", "is_open", "auto_confirm"]
    list_filter = ["commune"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["product", "lot", "price", "stock", "taken", "is_active"]
    readonly_fields = ["stock", "taken"]  # changed only by services (no overselling)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "shop", "status", "total", "placed_at"]
    list_filter = ["status", "commune"]
    readonly_fields = [f.name for f in Order._meta.fields]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["number", "seller", "buyer_name", "starts_on", "ends_on", "status"]
