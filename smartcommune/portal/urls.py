from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import feeds, public, staff, views
from .opendata import views as opendata
from .sitemaps import SITEMAPS

app_name = "portal"
X = "xa/<str:commune_code>"
S = "quan-ly/<str:commune_code>"

urlpatterns = [
    path("", views.home, name="home"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS, "template_name": "portal/sitemap.xml"}, name="sitemap"),
    path("tinh/<str:province_code>/", views.province, name="province"),
    # A commune's public pages.
    path(f"{X}/", views.commune, name="commune"),
    path(f"{X}/quet-ma/", views.scan, name="scan"),
    path(f"{X}/tin-tuc/", public.article_list, name="news"),
    path(f"{X}/tin-tuc/rss.xml", feeds.ArticlesRss(), name="rss"),
    path(f"{X}/tin-tuc/atom.xml", feeds.ArticlesAtom(), name="atom"),
    path(f"{X}/tin-tuc/muc/<str:category>/", public.article_list, name="news_category"),
    path(f"{X}/tin-tuc/<slug:slug>/", public.article_detail, name="article"),
    path(f"{X}/tin-tuc/<slug:slug>/tep/<int:attachment_id>/", public.attachment, name="attachment"),
    path(f"{X}/van-ban/", public.document_list, name="documents"),
    path(f"{X}/van-ban/<int:document_id>/tep/", public.document_file, name="document_file"),
    path(f"{X}/minh-bach/", public.transparency, name="transparency"),
    path(f"{X}/du-lieu-mo/", opendata.catalogue, name="opendata"),
    path(f"{X}/du-lieu-mo/catalog.<str:fmt>", opendata.catalogue_dcat, name="dcat"),
    path(f"{X}/du-lieu-mo/<slug:slug>/", opendata.dataset_page, name="dataset"),
    path(f"{X}/du-lieu-mo/<slug:slug>.<str:fmt>", opendata.download, name="dataset_download"),
    path(
        f"{X}/du-lieu-mo/<slug:slug>/phien-ban/<int:number>.<str:fmt>",
        opendata.version_download,
        name="dataset_version",
    ),
    # Staff.
    path(f"{S}/", views.staff_home, name="staff_home"),
    path(f"{S}/tin-tuc/", staff.article_list, name="staff_articles"),
    path(f"{S}/tin-tuc/viet/", staff.article_edit, name="staff_article_create"),
    path(f"{S}/tin-tuc/<int:article_id>/", staff.article_detail, name="staff_article"),
    path(f"{S}/tin-tuc/<int:article_id>/sua/", staff.article_edit, name="staff_article_edit"),
    path(f"{S}/tin-tuc/<int:article_id>/<str:action>/", staff.article_action, name="staff_article_action"),
    path(f"{S}/van-ban/", staff.document_list, name="staff_documents"),
    path(f"{S}/van-ban/them/", staff.document_edit, name="staff_document_create"),
    path(f"{S}/van-ban/<int:document_id>/sua/", staff.document_edit, name="staff_document_edit"),
    path(f"{S}/du-lieu-mo/ghi-phien-ban/", opendata.record_versions, name="record_versions"),
]
