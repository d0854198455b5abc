from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    # Public: households answer with the code of their slip; published summaries.
    path("tra-loi/", views.answer, name="answer"),
    path("da-nhan/<int:campaign_id>/", views.thanks, name="thanks"),
    path("cong-khai/<int:campaign_id>/", views.public_summary, name="public"),
    # Staff, per commune.
    path("<str:commune_code>/", views.campaign_list, name="campaigns"),
    path("<str:commune_code>/tao/", views.campaign_create, name="campaign_create"),
    path("<str:commune_code>/nhap-xlsform/", views.xlsform_import, name="xlsform_import"),
    path("<str:commune_code>/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("<str:commune_code>/<int:campaign_id>/sua/", views.campaign_edit, name="campaign_edit"),
    path("<str:commune_code>/<int:campaign_id>/xem-truoc/", views.preview, name="preview"),
    path("<str:commune_code>/<int:campaign_id>/thao-tac/<str:action>/", views.campaign_action, name="campaign_action"),
    path("<str:commune_code>/<int:campaign_id>/cau-hoi/them/", views.question_edit, name="question_create"),
    path("<str:commune_code>/<int:campaign_id>/cau-hoi/<int:question_id>/", views.question_edit, name="question"),
    path(
        "<str:commune_code>/<int:campaign_id>/cau-hoi/<int:question_id>/<str:action>/",
        views.question_action,
        name="question_action",
    ),
    path("<str:commune_code>/<int:campaign_id>/phieu/", views.slips, name="slips"),
    path("<str:commune_code>/<int:campaign_id>/phieu-giay/", views.paper_entry, name="paper"),
    path("<str:commune_code>/<int:campaign_id>/ket-qua/", views.results, name="results"),
    path("<str:commune_code>/<int:campaign_id>/ket-qua.<str:fmt>", views.results, name="results_export"),
    path("<str:commune_code>/<int:campaign_id>/y-kien/", views.comments, name="comments"),
    path("<str:commune_code>/<int:campaign_id>/xlsform.xlsx", views.xlsform_export, name="xlsform_export"),
]
