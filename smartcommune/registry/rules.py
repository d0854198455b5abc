"""Rules on a household's yearly figures, shared by the forms, the file import and the API."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

MORE_THAN_MEMBERS = _("More than the number of members.")
MORE_THAN_WORKING_AGE = _("More than the working-age members.")
MORE_THAN_TRAINED = _("More than the trained workers.")


def year_problems(values: Mapping) -> list[tuple[str, str]]:
    """(field, message) for every figure that contradicts another; empty when all agree."""
    problems = []
    members = values.get("members")

    def over(field: str, limit: int | None) -> bool:
        value = values.get(field)
        return value is not None and limit is not None and value > limit

    for field in ("insured_members", "working_age_members"):
        if over(field, members):
            problems.append((field, MORE_THAN_MEMBERS))
    for field in ("employed_members", "trained_workers"):
        if over(field, values.get("working_age_members")):
            problems.append((field, MORE_THAN_WORKING_AGE))
    if over("certified_workers", values.get("trained_workers")):
        problems.append(("certified_workers", MORE_THAN_TRAINED))
    return problems
