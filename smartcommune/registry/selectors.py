"""Reads of the registries, already scoped and with their joins, for pages, the API and other parts."""

from dataclasses import dataclass

from django.db.models import Count, F, FilteredRelation, Max, Q, QuerySet, Sum

from smartcommune.places.models import Commune, Village

from .models import Household, HouseholdYear, Housing, Organisation, Poverty

YEAR_COLUMNS = ("members", "poverty", "housing", "smartphone")

# What other parts may count or sum over a household's year (criteria formulas): field -> values.
# None means a number or a yes/no; a tuple lists the values of a choice field.
AGGREGATE_FIELDS: dict[str, tuple[str, ...] | None] = {
    "members": None,
    "poverty": tuple(Poverty.values),
    "housing": tuple(Housing.values),
    "safe_electricity": None,
    "clean_water": None,
    "hygienic_latrine": None,
    "insured_members": None,
    "working_age_members": None,
    "employed_members": None,
    "trained_workers": None,
    "certified_workers": None,
    "income": None,
    "smartphone": None,
    "broadband": None,
    "e_payment": None,
    "digital_address": None,
}


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


@dataclass(frozen=True)
class Measure:
    """One aggregate over households' yearly records: a count of those meeting `condition`, or the
    sum of `field`; only records where every field of `complete` has a value are taken."""

    kind: str  # "count" | "sum" | "missing"
    field: str | None = None
    condition: tuple[tuple[str, object], ...] = ()  # ("field", name), ("equals", v), ("in", (…)), ("not_empty", True)
    complete: tuple[str, ...] = ()


def _condition_q(condition: tuple[tuple[str, object], ...]) -> Q:
    spec = dict(condition)
    name = spec.get("field")
    if not name:
        return Q()
    if "equals" in spec:
        return Q(**{name: spec["equals"]})
    if "in" in spec:
        return Q(**{f"{name}__in": list(spec["in"])})
    if spec.get("not_empty"):
        return Q(**{f"{name}__isnull": False}) & ~Q(**{name: ""})
    return Q(**{name: True})


def _complete_q(fields: tuple[str, ...]) -> Q:
    q = Q()
    for name in fields:
        q &= Q(**{f"{name}__isnull": False})
    return q


def household_aggregates(
    *, year: int, commune_ids: list[int], measures: dict[str, Measure]
) -> dict[tuple[int, int], dict[str, int]]:
    """Every measure for every village of the given communes, in ONE grouped query.

    Returns {(commune_id, village_id): {measure name: value, "households": n}}; commune figures are
    the sums over its villages (all measures are additive)."""
    aggregates = {"households": Count("id")}
    for name, m in measures.items():
        complete = _complete_q(m.complete)
        if m.kind == "missing":  # records lacking one of the `complete` fields (there must be some)
            aggregates[name] = Count("id", filter=~complete)
        elif m.kind == "sum":
            aggregates[name] = Sum(m.field, filter=complete)
        else:
            aggregates[name] = Count("id", filter=complete & _condition_q(m.condition))
    rows = (
        HouseholdYear.objects.filter(year=year, household__commune_id__in=commune_ids, household__is_active=True)
        .values("household__commune_id", "household__village_id")
        .annotate(**aggregates)
        .order_by()
    )
    result = {}
    for row in rows:
        key = (row.pop("household__commune_id"), row.pop("household__village_id"))
        result[key] = {name: value or 0 for name, value in row.items()}
    return result


def share_of_households(commune: Commune, year: int, field: str) -> tuple[int, int]:
    """(households where `field` is true, households with a record) for a year."""
    counts = HouseholdYear.objects.filter(household__commune=commune, household__is_active=True, year=year).aggregate(
        yes=Count("id", filter=Q(**{field: True})), total=Count("id")
    )
    return counts["yes"], counts["total"]
