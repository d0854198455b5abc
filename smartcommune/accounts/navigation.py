"""The staff menu. Each app adds its entries in AppConfig.ready(); the menu shows those the user's roles allow,
grouped by part of the work so that a commune official finds them in a few short lists."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The menu's groups in the order they appear; an entry names its group.
GROUPS = {
    "data": _("Commune data"),
    "ntm": _("New Rural"),
    "economy": _("Agriculture and market"),
    "programme": _("Programme"),
    "admin": _("Administration"),
}


@dataclass(frozen=True)
class Entry:
    url_name: str  # takes the commune code as its only argument
    label: str
    roles: frozenset[str]  # empty: every staff role
    order: int
    group: str


_entries: dict[str, Entry] = {}


def register(url_name: str, label, *, roles: tuple[str, ...] = (), order: int = 50, group: str = "admin") -> None:
    if group not in GROUPS:
        raise ValueError(f"Unknown menu group {group!r}; use one of {', '.join(GROUPS)}.")
    _entries[url_name] = Entry(url_name, label, frozenset(roles), order, group)


def entries_for(roles: frozenset[str], commune_code: str, current: str) -> list[dict]:
    """The groups the user has entries in, each {"label", "active", "items": [{"url", "label", "active"}]}."""
    groups: dict[str, dict] = {}
    for entry in sorted(_entries.values(), key=lambda e: (list(GROUPS).index(e.group), e.order)):
        if entry.roles and not (entry.roles & roles):
            continue
        group = groups.setdefault(entry.group, {"label": GROUPS[entry.group], "active": False, "items": []})
        active = entry.url_name == current
        group["active"] |= active
        group["items"].append(
            {"url": reverse(entry.url_name, args=[commune_code]), "label": entry.label, "active": active}
        )
    return list(groups.values())
