from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from config.api import api
from smartcommune.core import i18n, media

urlpatterns = [
    # GS1 Digital Link: what a scanned QR label opens, the busiest public address, so matched first.
    path("01/", include("smartcommune.trace.resolver_urls")),
    path("api/v1/", api.urls),
    path("ngon-ngu/", i18n.set_language, name="language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("quan-tri-he-thong/", admin.site.urls),
]
# Pages carry no language prefix: Vietnamese by default, English by the language switch (a cookie).
urlpatterns += [
    path("tai-khoan/", include("smartcommune.accounts.urls")),
    path("dia-ban/", include("smartcommune.places.urls")),
    path("so-bo/", include("smartcommune.registry.urls")),
    path("tieu-chi/", include("smartcommune.criteria.urls")),
    path("khao-sat/", include("smartcommune.surveys.urls")),
    path("phan-anh/", include("smartcommune.feedback.urls")),
    path("open311/v2/", include("smartcommune.feedback.open311_urls")),
    path("nong-nghiep/", include("smartcommune.farming.urls")),
    path("truy-xuat/", include("smartcommune.trace.urls")),
    path("cho/", include("smartcommune.market.urls")),
    path("chuong-trinh/", include("smartcommune.program.urls")),
    path("", include("smartcommune.portal.urls")),
]

# Uploaded files go through a rule per folder (core.media): public photos to anyone, evidence, import
# files and contracts only to staff of their commune.
urlpatterns.insert(0, path(settings.MEDIA_URL.lstrip("/") + "<path:name>", media.serve, name="media"))
