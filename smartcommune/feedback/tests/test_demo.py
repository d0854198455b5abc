import time

import pytest

from smartcommune.accounts import demo as accounts_demo
from smartcommune.feedback import demo, selectors
from smartcommune.feedback.models import Category, Report, Status
from smartcommune.places import demo as places_demo
from smartcommune.registry.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_commune(places):
    commune = places_demo.run(log=lambda message: None)
    accounts_demo.run(commune=commune, password="pw-Test-12345", log=lambda message: None)
    Organisation.objects.create(commune=commune, code="HTX-VG01", name="HTX Mẫu", kind=Organisation.Kind.COOPERATIVE)
    return commune


def test_the_demo_tells_a_year_of_reports_and_runs_once(demo_commune):
    lines = []
    demo.run(commune=demo_commune, log=lines.append)
    reports = Report.objects.filter(commune=demo_commune)
    assert 300 <= reports.count() <= 360
    assert Category.objects.get(commune=demo_commune, code="THUY-LOI").unit == "org:HTX-VG01"
    assert reports.filter(unit="org:HTX-VG01").exists()
    assert reports.values("village").distinct().count() == 12
    assert reports.values("category").distinct().count() == 8
    stats = selectors.public_statistics(demo_commune)
    assert stats.total.on_time_pct > 70 and stats.total.satisfied_pct > 70
    assert reports.filter(escalated_at__isnull=False, status__in=("assigned", "in_progress", "received")).exists()
    assert reports.filter(status=Status.DUPLICATE).exists() and reports.filter(reopened=True).exists()
    assert not reports.exclude(reporter_email="").exists()  # no demo e-mail is ever sent
    numbers = list(reports.order_by("created_at").values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)

    started = time.perf_counter()
    demo.run(commune=demo_commune, log=lines.append)
    assert time.perf_counter() - started < 2
    assert Report.objects.filter(commune=demo_commune).count() == len(numbers)
    assert "already there" in lines[-1]
