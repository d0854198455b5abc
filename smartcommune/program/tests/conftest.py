import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import make_user
from smartcommune.program.models import (
    BudgetLine,
    FundingSource,
    Objective,
    Plan,
    SpendingCategory,
    Target,
    UnitKind,
)
from smartcommune.program.services import budget, tasks
from smartcommune.registry.models import Organisation
from smartcommune.registry.tests.conftest import households, other_household  # noqa: F401

YEAR = 2025


def pdf_file(name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", content_type="application/pdf"
    )


def jpeg_file(name: str = "anh.jpg", *, with_gps: bool = False) -> SimpleUploadedFile:
    image = Image.new("RGB", (800, 600), (30, 120, 80))
    out = io.BytesIO()
    if with_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (15.0, 2.0, 3.0)}  # GPSInfo
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def plan(commune):
    return Plan.objects.create(
        commune=commune,
        number="45/KH-UBND",
        issued_on=date(2025, 7, 15),
        title="Kế hoạch chuyển đổi số năm 2025",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 12, 31),
    )


@pytest.fixture
def objective(plan):
    return Objective.objects.create(plan=plan, number=1, title="Xã hội số")


@pytest.fixture
def other_plan(other_commune):
    plan = Plan.objects.create(
        commune=other_commune,
        number="9/KH-UBND",
        issued_on=date(2025, 3, 1),
        title="Kế hoạch của xã bên cạnh",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 12, 31),
    )
    Objective.objects.create(plan=plan, number=1, title="Mục tiêu khác")
    return plan


def smartphone_target(objective, **overrides) -> Target:
    values = {
        "objective": objective,
        "code": "3.3",
        "name": "Hộ có điện thoại thông minh",
        "kind": Target.Kind.PERCENT,
        "unit": "%",
        "comparator": ">=",
        "target_value": Decimal(100),
        "deadline": date(2025, 12, 31),
        "metric_key": "registry.smartphone_pct",
    }
    values.update(overrides)
    return Target.objects.create(**values)


def make_task(
    objective,
    code="NV-01",
    unit=(UnitKind.DEPARTMENT, "vhxh"),
    start=date(2025, 3, 1),
    deadline=date(2025, 9, 30),
    by=None,
):
    kind, where = unit
    return tasks.task_create(
        objective=objective,
        by=by,
        code=code,
        title=f"Nhiệm vụ {code}",
        unit_kind=kind,
        department=where if kind == UnitKind.DEPARTMENT else "",
        village=where if kind == UnitKind.VILLAGE else None,
        organisation=where if kind == UnitKind.ORGANISATION else None,
        start_on=start,
        deadline=deadline,
    )


@pytest.fixture
def task(objective):
    return make_task(objective)


@pytest.fixture
def sources(db):
    return {s.code: s for s in FundingSource.objects.all()}


@pytest.fixture
def categories(db):
    return {c.code: c for c in SpendingCategory.objects.all()}


def make_line(
    commune, sources, categories, planned, *, source="I.2", category="sn-dao-tao", content="Tập huấn", year=YEAR
):
    return budget.budget_line_create(
        commune=commune,
        year=year,
        source=sources[source],
        category=categories[category],
        content=content,
        planned=planned,
        by=None,
    )


@pytest.fixture
def line(commune, sources, categories) -> BudgetLine:
    return make_line(commune, sources, categories, 100_000_000)


@pytest.fixture
def allocation(line, task):
    return budget.allocation_set(line=line, task=task, amount=60_000_000, allocated_on=date(2025, 3, 5), by=None)


@pytest.fixture
def economy_official(commune):
    from smartcommune.accounts.models import Department, Role

    return make_user("kinhte", Role.COMMUNE_OFFICIAL, commune=commune, department=Department.ECONOMY)


@pytest.fixture
def coop(commune, villages):
    return Organisation.objects.create(
        commune=commune, village=villages[0], code="HTX-T01", name="HTX Đồng Lớn", kind=Organisation.Kind.COOPERATIVE
    )


@pytest.fixture
def other_coop(other_commune):
    return Organisation.objects.create(
        commune=other_commune, code="HTX-X01", name="HTX Ngoài", kind=Organisation.Kind.COOPERATIVE
    )
