"""Rules on a household's yearly figures, shared by the forms, the file import and the API."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

MORE_THAN_MEMBERS = _("More than the number of members.")
MORE_THAN_WORKING_AGE = _("More than the working-age members.")
MORE_THAN_TRAINED = _("More than the trained workers.")


# (field, the field it may not exceed, the message when it does)
_LIMITS = (
    ("insured_members", "members", MORE_THAN_MEMBERS),
    ("working_age_members", "members", MORE_THAN_MEMBERS),
    ("employed_members", "working_age_members", MORE_THAN_WORKING_AGE),
    ("trained_workers", "working_age_members", MORE_THAN_WORKING_AGE),
    ("certified_workers", "trained_workers", MORE_THAN_TRAINED),
)


def year_problems(values: Mapping) -> list[tuple[str, str]]:
    """(field, message) for every figure that contradicts another; empty when all agree."""
    problems = []
    for field, limit_field, message in _LIMITS:  # run for every row of an import: kept to plain lookups
        value, limit = values.get(field), values.get(limit_field)
        if value is not None and limit is not None and value > limit:
            problems.append((field, message))
    return problems
