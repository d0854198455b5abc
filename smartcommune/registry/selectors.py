"""Reads of the registries, already scoped and with their joins, for pages, the API and other parts."""

from django.db.models import Count, F, FilteredRelation, Max, Q, QuerySet, Sum

from smartcommune.places.models import Commune, Village

from .models import Household, HouseholdYear, Organisation

YEAR_COLUMNS = ("members", "poverty", "housing", "smartphone")


def household_years(commune: Commune) -> list[int]:
    """The years with data in a commune, newest first."""
    years = HouseholdYear.objects.filter(household__commune=commune).values_list("year", flat=True).distinct()
    return sorted(years, reverse=True)


def household_list(
    households: QuerySet[Household],
    *,
    year: int | None,
    village: Village | None = None,
    poverty: str = "",
    missing: bool = False,
    q: str = "",
    ordering: str = "code",
) -> QuerySet[Household]:
    """Households with that year's figures joined in (`y_members`, `y_poverty`…); one query per page."""
    qs = households.select_related("village").annotate(y=FilteredRelation("years", condition=Q(years__year=year)))
    qs = qs.annotate(**{f"y_{name}": F(f"y__{name}") for name in YEAR_COLUMNS}, y_id=F("y__id"))
    if village:
        qs = qs.filter(village=village)
    if poverty:
        qs = qs.filter(y__poverty=poverty)
    if missing:
        condition = Q(y__id__isnull=True)
        for name in HouseholdYear.INDICATOR_FIELDS:
            condition |= Q(**{f"y__{name}__isnull": True})
        qs = qs.filter(condition)
    if q:
        qs = qs.filter(pk__in=Household.objects.search(q).values("pk"))
    order = {
        "code": ("code",),
        "-code": ("-code",),
        "name": ("head_name", "code"),
        "village": ("village__code", "code"),
    }
    return qs.order_by(*order.get(ordering, ("code",)))


def commune_household_figures(commune: Commune) -> dict[str, int | None]:
    """Counts for the commune's home pages: active households and members in the latest year."""
    latest = HouseholdYear.objects.filter(household__commune=commune).aggregate(year=Max("year"))["year"]
    figures = Household.objects.in_commune(commune).active().aggregate(households=Count("pk"))
    members = None
    if latest:
        members = HouseholdYear.objects.filter(household__commune=commune, year=latest).aggregate(n=Sum("members"))["n"]
    return {"households": figures["households"], "members": members, "year": latest}


def organisation_list(commune: Commune, *, kind: str = "", q: str = "", ocop: bool = False) -> QuerySet[Organisation]:
    qs = Organisation.objects.in_commune(commune).select_related("village").annotate(member_count=Count("memberships"))
    if kind:
        qs = qs.filter(kind=kind)
    if ocop:
        qs = qs.filter(is_ocop_subject=True)
    if q:
        qs = qs.filter(pk__in=Organisation.objects.search(q).values("pk"))
    return qs.order_by("code")


def commune_organisation_figures(commune: Commune) -> dict[str, int]:
    counts = (
        Organisation.objects.in_commune(commune)
        .active()
        .aggregate(
            total=Count("pk"),
            cooperatives=Count("pk", filter=Q(kind=Organisation.Kind.COOPERATIVE)),
            ocop=Count("pk", filter=Q(is_ocop_subject=True)),
        )
    )
    return counts
