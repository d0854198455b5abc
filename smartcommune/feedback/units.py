"""The units that handle reports, named by a short key stored on categories and reports.

- "dept:<code>"     a department of the commune (accounts.models.Department): its commune officials;
- "org:<code>"      an organisation of the registry (a cooperative running irrigation, a service provider):
                    its managers;
- "village:<code>"  a village: its village head.

A category may name "village": the report then goes to the head of the village it is in. The People's
Committee Office ("dept:vp") is the commune leadership: it sees every report and receives what no
other unit can take.
"""

from django.utils.translation import gettext as _

from smartcommune.accounts.models import Department
from smartcommune.places.models import Commune, Village
from smartcommune.registry.models import Organisation

LEADERSHIP = f"dept:{Department.OFFICE}"
REPORT_VILLAGE = "village"  # on a category only


def department(code: str) -> str:
    return f"dept:{code}"


def organisation(code: str) -> str:
    return f"org:{code}"


def village(code: str) -> str:
    return f"village:{code}"


def split(key: str) -> tuple[str, str]:
    kind, _sep, code = key.partition(":")
    return kind, code


def labels(commune: Commune) -> dict[str, str]:
    """Every unit of the commune with its name, for lists and choices (three small queries at most)."""
    result = {department(code): str(label) for code, label in Department.choices}
    for code, name in Organisation.objects.in_commune(commune).values_list("code", "name"):
        result[organisation(code)] = name
    for code, name in Village.objects.in_commune(commune).values_list("code", "name"):
        result[village(code)] = name
    return result


def label(key: str, known: dict[str, str] | None = None) -> str:
    if known and key in known:
        return known[key]
    kind, code = split(key)
    if kind == "dept":
        return str(dict(Department.choices).get(code, code))
    if key == REPORT_VILLAGE:
        return _("Head of the report's village")
    return code


def category_choices(commune: Commune) -> list[tuple[str, str]]:
    """Units a category can be given to: departments, the report's village, active organisations."""
    choices = [(department(code), str(name)) for code, name in Department.choices]
    choices.append((REPORT_VILLAGE, _("Head of the report's village")))
    for code, name in Organisation.objects.in_commune(commune).active().values_list("code", "name"):
        choices.append((organisation(code), f"{name} ({code})"))
    return choices


def report_choices(commune: Commune) -> list[tuple[str, str]]:
    """Units a report can be reassigned to: departments, organisations, each active village."""
    choices = [(department(code), str(name)) for code, name in Department.choices]
    for code, name in Organisation.objects.in_commune(commune).active().values_list("code", "name"):
        choices.append((organisation(code), f"{name} ({code})"))
    for code, name in Village.objects.in_commune(commune).active().values_list("code", "name"):
        choices.append((village(code), _("Head of %(village)s") % {"village": name}))
    return choices


def is_valid(commune: Commune, key: str, *, for_category: bool = False) -> bool:
    if for_category and key == REPORT_VILLAGE:
        return True
    kind, code = split(key)
    if kind == "dept":
        return code in Department.values
    if kind == "org":
        return Organisation.objects.in_commune(commune).active().filter(code=code).exists()
    if kind == "village" and not for_category:
        return Village.objects.in_commune(commune).active().filter(code=code).exists()
    return False


def for_report(category_unit: str, report_village: Village | None) -> str:
    """The unit a new report goes to: the category's, or its village's head (the leadership without one)."""
    if category_unit == REPORT_VILLAGE:
        return village(report_village.code) if report_village else LEADERSHIP
    return category_unit
