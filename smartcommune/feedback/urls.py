from django.urls import path, register_converter

from .views import public, staff

app_name = "feedback"


class CommuneCode:
    regex = "[0-9]{5}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ReportNumber:
    regex = "PA-[0-9]{4}-[0-9]{6,9}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CommuneCode, "commune")
register_converter(ReportNumber, "number")

urlpatterns = [
    path("", public.index, name="index"),
    path("cua-toi/", public.my_reports, name="mine"),
    path("theo-doi/<str:token>/", public.follow, name="follow"),
    # Public side of a commune.
    path("<commune:commune_code>/", public.report_list, name="list"),
    path("<commune:commune_code>/ban-do.geojson", public.report_geojson, name="geojson"),
    path("<commune:commune_code>/thong-ke/", public.statistics, name="statistics"),
    path("<commune:commune_code>/gui/", public.report_new, name="new"),
    path("<commune:commune_code>/gui/cau-hoi/", public.report_questions, name="questions"),
    path("<commune:commune_code>/gui/gan-day/", public.report_nearby, name="nearby"),
    path("<commune:commune_code>/<number:number>/", public.report_public, name="public"),
    # Staff.
    path("<commune:commune_code>/quan-ly/", staff.inbox, name="inbox"),
    path("<commune:commune_code>/quan-ly/<number:number>/", staff.report_detail, name="report"),
    path("<commune:commune_code>/quan-ly/<number:number>/trang-thai/", staff.report_transition, name="transition"),
    path("<commune:commune_code>/quan-ly/<number:number>/chuyen/", staff.report_reassign, name="reassign"),
    path("<commune:commune_code>/quan-ly/<number:number>/gop/", staff.report_merge, name="merge"),
    path("<commune:commune_code>/quan-ly/<number:number>/cong-khai/", staff.report_visibility, name="visibility"),
    path("<commune:commune_code>/quan-ly/linh-vuc/", staff.category_list, name="categories"),
    path("<commune:commune_code>/quan-ly/linh-vuc/them/", staff.category_edit, name="category_create"),
    path("<commune:commune_code>/quan-ly/linh-vuc/<int:category_id>/", staff.category_edit, name="category"),
    path(
        "<commune:commune_code>/quan-ly/linh-vuc/<int:category_id>/cau-hoi/them/",
        staff.question_edit,
        name="question_create",
    ),
    path(
        "<commune:commune_code>/quan-ly/linh-vuc/<int:category_id>/cau-hoi/<int:question_id>/",
        staff.question_edit,
        name="question",
    ),
    path(
        "<commune:commune_code>/quan-ly/linh-vuc/<int:category_id>/cau-hoi/<int:question_id>/xoa/",
        staff.question_delete,
        name="question_delete",
    ),
    path("<commune:commune_code>/quan-ly/ngay-nghi/", staff.holidays, name="holidays"),
    path("<commune:commune_code>/quan-ly/ngay-nghi/<int:holiday_id>/xoa/", staff.holiday_delete, name="holiday_delete"),
    path("<commune:commune_code>/quan-ly/khu-vuc/", staff.area, name="area"),
    path("<commune:commune_code>/quan-ly/khoa-api/", staff.api_keys, name="api_keys"),
    path("<commune:commune_code>/quan-ly/khoa-api/<int:key_id>/thu-hoi/", staff.api_key_revoke, name="api_key_revoke"),
]
