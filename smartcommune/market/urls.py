from django.urls import path

from .views import public, staff

app_name = "market"

urlpatterns = [
    # Public.
    path("", public.index, name="index"),
    path("don/<str:token>/", public.order_follow, name="order_follow"),
    path("gio-da-dat/<str:cart>/", public.placed, name="placed"),
    path("don-cua-toi/", public.my_orders, name="my_orders"),
    path("<str:commune_code>/", public.storefront, name="storefront"),
    path("<str:commune_code>/sp/<int:offer_id>/", public.offer_detail, name="offer"),
    path("<str:commune_code>/sp/<int:offer_id>/them/", public.cart_add, name="cart_add"),
    path("<str:commune_code>/co-so/<str:organisation_code>/", public.producer, name="producer"),
    path("<str:commune_code>/360/<int:panorama_id>/", public.panorama_view, name="panorama"),
    path("<str:commune_code>/gio-hang/", public.cart, name="cart"),
    path("<str:commune_code>/dat-hang/", public.checkout, name="checkout"),
    path("<str:commune_code>/san-pham.csv", public.product_feed, name="feed"),
    # Producers and the commune.
    path("<str:commune_code>/quan-ly/", staff.inbox, name="inbox"),
    path("<str:commune_code>/quan-ly/don/<int:order_id>/", staff.order_detail, name="order"),
    path("<str:commune_code>/quan-ly/don/<int:order_id>/buoc/", staff.order_advance, name="order_advance"),
    path("<str:commune_code>/quan-ly/don/<int:order_id>/da-tra/", staff.order_paid, name="order_paid"),
    path("<str:commune_code>/quan-ly/doanh-so.xlsx", staff.sales_report, name="sales_report"),
    path("<str:commune_code>/quan-ly/ban-hang/", staff.offer_list, name="offers"),
    path("<str:commune_code>/quan-ly/ban-hang/<str:organisation_code>/them/", staff.offer_edit, name="offer_create"),
    path(
        "<str:commune_code>/quan-ly/ban-hang/<str:organisation_code>/<int:offer_id>/",
        staff.offer_edit,
        name="offer_edit",
    ),
    path("<str:commune_code>/quan-ly/gian-hang/<str:organisation_code>/", staff.shop_edit, name="shop_edit"),
    path("<str:commune_code>/quan-ly/hop-dong/", staff.contract_list, name="contracts"),
    path("<str:commune_code>/quan-ly/hop-dong/them/", staff.contract_create, name="contract_create"),
    path("<str:commune_code>/quan-ly/hop-dong/<int:contract_id>/", staff.contract_detail, name="contract"),
    path(
        "<str:commune_code>/quan-ly/hop-dong/<int:contract_id>/van-ban.pdf",
        staff.contract_document,
        name="contract_document",
    ),
    path("<str:commune_code>/quan-ly/so-lieu/", staff.figures, name="figures"),
]
