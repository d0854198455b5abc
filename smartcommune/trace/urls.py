from django.urls import path

from . import public, views

app_name = "trace"

urlpatterns = [
    # Public: the internal identifiers of products without a GTIN, cartons, producers.
    path("sp/<str:internal_code>/lo/<str:lot>", public.internal_lot, name="public_lot"),
    path("sp/<str:internal_code>", public.internal_product, name="public_product"),
    path("thung/<str:code>", public.carton, name="carton"),
    path("<str:commune_code>/co-so/<str:organisation_code>", public.producer, name="producer"),
    # Staff.
    path("<str:commune_code>/san-pham/", views.product_list, name="products"),
    path("<str:commune_code>/san-pham/them/", views.product_edit, name="product_create"),
    path("<str:commune_code>/san-pham/<int:product_id>/", views.product_detail, name="product"),
    path("<str:commune_code>/san-pham/<int:product_id>/sua/", views.product_edit, name="product_edit"),
    path("<str:commune_code>/san-pham/<int:product_id>/ocop/", views.ocop_add, name="ocop_add"),
    path("<str:commune_code>/san-pham/<int:product_id>/chung-nhan/", views.certification_add, name="certification_add"),
    path("<str:commune_code>/lo/", views.lot_list, name="lots"),
    path("<str:commune_code>/lo/tu-thu-hoach/", views.lot_from_harvests, name="lot_from_harvests"),
    path("<str:commune_code>/lo/che-bien/", views.lot_process, name="lot_process"),
    path("<str:commune_code>/lo/<int:lot_id>/", views.lot_detail, name="lot"),
    path("<str:commune_code>/lo/<int:lot_id>/dong-thung/", views.lot_pack, name="lot_pack"),
    path("<str:commune_code>/lo/<int:lot_id>/xuat-hang/", views.lot_ship, name="lot_ship"),
    path("<str:commune_code>/lo/<int:lot_id>/trang-thai/", views.lot_status, name="lot_status"),
    path("<str:commune_code>/lo/<int:lot_id>/qr.<str:fmt>", views.lot_qr, name="lot_qr"),
    path("<str:commune_code>/lo/<int:lot_id>/tem/", views.lot_labels, name="lot_labels"),
    path("<str:commune_code>/lo/<int:lot_id>/epcis.jsonld", views.lot_epcis, name="lot_epcis"),
    path("<str:commune_code>/xuat-du-lieu/", views.exports, name="exports"),
]
