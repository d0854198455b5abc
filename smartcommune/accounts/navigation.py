"""The staff menu. Each app adds its entries in AppConfig.ready(); the menu shows those the user's roles allow."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Entry:
    url_name: str  # takes the commune code as its only argument
    label: str
    roles: frozenset[str]  # empty: every staff role
    order: int


_entries: dict[str, Entry] = {}


def register(url_name: str, label, *, roles: tuple[str, ...] = (), order: int = 50) -> None:
    _entries[url_name] = Entry(url_name, label, frozenset(roles), order)


def entries_for(roles: frozenset[str], commune_code: str, current: str) -> list[dict]:
    items = []
    for entry in sorted(_entries.values(), key=lambda e: e.order):
        if entry.roles and not (entry.roles & roles):
            continue
        items.append(
            {
                "url": reverse(entry.url_name, args=[commune_code]),
                "label": entry.label,
                "active": entry.url_name == current,
            }
        )
    return items
