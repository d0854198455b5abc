import io

import pytest

from smartcommune.core import tabular
from smartcommune.registry import importing
from smartcommune.registry.models import Household, HouseholdYear, Organisation

HEADER = [c.header for c in importing.HOUSEHOLD_COLUMNS]


def household_row(code="H001", village="T01", year=2025, **overrides) -> dict:
    row = {
        "code": code,
        "village": village,
        "address": "Số 1",
        "head_name": "Nguyễn Văn Đồng",
        "head_id_number": "051090123456",
        "phone": "0912345678",
        "year": year,
        "members": 4,
        "poverty": "khong",
        "housing": "kien_co",
        "safe_electricity": True,
        "clean_water": True,
        "hygienic_latrine": True,
        "insured_members": 4,
        "working_age_members": 2,
        "employed_members": 2,
        "trained_workers": 1,
        "certified_workers": 1,
        "income": 240_000_000,
        "smartphone": True,
        "broadband": False,
        "e_payment": True,
        "digital_address": "",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], columns=importing.HOUSEHOLD_COLUMNS, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    tabular.write_csv(columns, rows, out)
    return out.getvalue().encode("utf-8").decode("utf-8-sig").encode(encoding)


def xlsx_bytes(rows: list[dict], columns=importing.HOUSEHOLD_COLUMNS) -> bytes:
    out = io.BytesIO()
    tabular.write_xlsx(columns, rows, out)
    return out.getvalue()


@pytest.fixture
def households(commune, villages):
    """Three households of Vệ Giang with 2025 figures, the first named with Vietnamese accents."""
    result = importing.import_file(
        kind="households",
        commune=commune,
        fileobj=io.BytesIO(
            csv_bytes(
                [
                    household_row("H001", "T01"),
                    household_row(
                        "H002", "T02", head_name="Trần Thị Lan", head_id_number="051190654321", phone="0987654321"
                    ),
                    household_row(
                        "H003", "T03", head_name="Lê Văn Phước", head_id_number="", phone="", poverty="ngheo"
                    ),
                ]
            )
        ),
    )
    assert result.ok, result.errors
    return list(Household.objects.order_by("code"))


@pytest.fixture
def other_household(other_commune, other_village):
    household = Household.objects.create(
        commune=other_commune, village=other_village, code="X001", head_name="Người Ngoài", phone="0911111111"
    )
    HouseholdYear.objects.create(household=household, year=2025, members=3)
    return household


@pytest.fixture
def organisation(commune, villages):
    return Organisation.objects.create(
        commune=commune,
        village=villages[0],
        code="HTX-T01",
        name="Hợp tác xã Đồng Lớn",
        kind=Organisation.Kind.COOPERATIVE,
        tax_code="0100233488",
        representative="Phạm Văn Đại Diện",
        phone="0905123456",
        bank_bin="970405",
        bank_account="3600205123456",
        bank_account_name="HTX DONG LON",
    )
