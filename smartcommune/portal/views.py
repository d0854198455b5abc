from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from smartcommune.accounts import scoping
from smartcommune.places.models import Commune, Province, Village

from . import selectors


def home(request):
    return render(
        request,
        "portal/home.html",
        {"provinces": selectors.provinces_with_counts(), "communes": selectors.active_communes()[:50]},
    )


def province(request, province_code: str):
    province = get_object_or_404(Province, code=province_code)
    return render(
        request,
        "portal/province.html",
        {"province": province, "communes": selectors.communes_of_province(province)},
    )


def commune(request, commune_code: str):
    commune = get_object_or_404(Commune.objects.select_related("province"), code=commune_code)
    return render(
        request,
        "portal/commune.html",
        {
            "commune": commune,
            "figures": selectors.commune_key_figures(commune),
            "villages": Village.objects.in_commune(commune).active(),
        },
    )


@login_required
def staff_home(request, commune_code: str):
    commune = get_object_or_404(Commune.objects.select_related("province"), code=commune_code)
    scope = scoping.require_view(request.user, commune)
    return render(
        request,
        "portal/staff_home.html",
        {"commune": commune, "figures": selectors.commune_key_figures(commune), "roles": scope.roles_in(commune)},
    )
