"""The demo of Xã Vệ Giang, assembled from each part's demo function in dependency order."""

from collections.abc import Callable

from smartcommune.accounts import demo as accounts_demo
from smartcommune.criteria import demo as criteria_demo
from smartcommune.places import demo as places_demo
from smartcommune.registry import demo as registry_demo

COMMUNE_CODE = places_demo.COMMUNE_CODE


def run(*, password: str, log: Callable[[str], None], password_changed: bool = True) -> list[tuple[str, str]]:
    commune = places_demo.run(log=log)
    registry_demo.run(commune=commune, log=log)
    accounts = accounts_demo.run(commune=commune, password=password, log=log, password_changed=password_changed)
    criteria_demo.run(commune=commune, log=log)  # needs the demo officials to enter and approve values
    return accounts
