"""The demo of Xã Vệ Giang, assembled from each part's demo function in dependency order."""

from collections.abc import Callable
from datetime import date

from smartcommune.accounts import demo as accounts_demo
from smartcommune.accounts.models import User
from smartcommune.criteria import demo as criteria_demo
from smartcommune.criteria import services as criteria_services
from smartcommune.criteria.models import Indicator, IndicatorValue
from smartcommune.farming import demo as farming_demo
from smartcommune.feedback import demo as feedback_demo
from smartcommune.market import demo as market_demo
from smartcommune.places import demo as places_demo
from smartcommune.places.models import Commune
from smartcommune.portal import content_demo
from smartcommune.program import demo as program_demo
from smartcommune.program import selectors as program_selectors
from smartcommune.registry import demo as registry_demo
from smartcommune.surveys import demo as surveys_demo
from smartcommune.trace import demo as trace_demo

COMMUNE_CODE = places_demo.COMMUNE_CODE
SMART_SET = "xa-ntm-thong-minh"
SMART_YEAR = 2025


def run(*, password: str, log: Callable[[str], None], password_changed: bool = True) -> list[tuple[str, str]]:
    commune = places_demo.run(log=log)
    registry_demo.run(commune=commune, log=log)
    farming_demo.run(commune=commune, log=log)
    trace_demo.run(commune=commune, log=log)
    accounts = accounts_demo.run(commune=commune, password=password, log=log, password_changed=password_changed)
    market_demo.run(commune=commune, log=log)  # needs the trace lots and the cooperative manager
    criteria_demo.run(commune=commune, log=log)  # needs the demo officials to enter and approve values
    surveys_demo.run(commune=commune, log=log)
    feedback_demo.run(commune=commune, log=log)
    program_demo.run(commune=commune, log=log)
    _smart_commune_values(commune, log)
    content_demo.run(commune=commune, log=log)  # last: its news and datasets show what the others made
    return accounts


def _smart_commune_values(commune: Commune, log: Callable[[str], None]) -> None:
    """Enter the smart-commune indicators that the programme's inventory answers (3.3, 3.4, 4.3, 4.4)."""
    indicators = {i.code: i for i in Indicator.objects.filter(criteria_set__code=SMART_SET)}
    if IndicatorValue.objects.filter(commune=commune, year=SMART_YEAR, indicator__in=indicators.values()).exists():
        return
    official = User.objects.get(username="xa.vhxh")
    evidence = program_selectors.smart_criteria_values(commune, date(SMART_YEAR, 12, 31))
    for code, value in evidence.items():
        if code in indicators:
            criteria_services.value_enter(
                indicator=indicators[code], commune=commune, year=SMART_YEAR, by=official,
                passed=value.passed, value=value.value, note=value.note,
            )  # fmt: skip
    log(f"Smart commune: {len(evidence)} values entered from the programme's inventory.")
