"""Reading the audit trail kept by django-simple-history, the same way for every model."""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    action: str
    reason: str
    fields: list[tuple[str, object, object]]  # (field label, old, new)


def history_of(obj: models.Model, *, limit: int = 100) -> list[Change]:
    """The changes to one record, newest first, with the fields that changed in each."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    changes: list[Change] = []
    for record, older in zip(records, [*records[1:], None], strict=False):
        if len(changes) == limit:
            break
        fields = []
        if older is not None:
            for diff in record.diff_against(older).changes:
                label = record.instance_type._meta.get_field(diff.field).verbose_name
                fields.append((str(label), diff.old, diff.new))
        user = record.history_user
        changes.append(
            Change(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else str(_("system")),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                fields=fields,
            )
        )
    return changes
