"""The budget: limits on allocations and disbursements, amounts as Vietnamese and English write them,
contributions in labour and in kind, settlement, concurrency, and reports whose totals are checked against
sums computed here, independently, from the same fixture."""

import io
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from smartcommune.program import catalogue, selectors
from smartcommune.program.forms import AmountField
from smartcommune.program.models import (
    Allocation,
    BudgetLine,
    Disbursement,
    FundingSource,
    Settlement,
    SpendingCategory,
)
from smartcommune.program.services import budget

from .conftest import make_line, make_task

pytestmark = pytest.mark.django_db


def test_the_catalogue_holds_the_six_groups_and_loads_idempotently():
    groups = list(FundingSource.objects.filter(parent=None).values_list("code", flat=True))
    assert groups == ["I", "II", "III", "IV", "V", "VI"]
    assert FundingSource.objects.get(code="VI.2").kind == FundingSource.Kind.IN_KIND
    assert SpendingCategory.objects.filter(kind="investment").count() == 13
    assert SpendingCategory.objects.filter(kind="recurrent").count() == 8
    assert catalogue.load() == {"changed": 0}


@pytest.mark.parametrize(
    "text",
    ["1.234.567", "1,234,567", "1234567", "1 234 567", "1.234.567 đ", "1234567 VND", "1.234.567 VNĐ", "1.234.567 đồng"],
)
def test_amounts_are_read_in_either_separator_style(text):
    assert AmountField().clean(text) == 1_234_567


@pytest.mark.parametrize("text", ["-5.000", "abc", "1.234,56", "12,5"])
def test_negative_or_fractional_amounts_are_refused(text):
    with pytest.raises(ValidationError):
        AmountField().clean(text)


def test_a_line_is_held_against_a_sub_source(commune, sources, categories):
    with pytest.raises(ValidationError) as error:
        make_line(commune, sources, categories, 1_000, source="I")
    assert "source" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_line(commune, sources, categories, 1_000, source="II.3")  # the district level, no longer in use
    assert "source" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_line(commune, sources, categories, -1)
    assert "planned" in error.value.message_dict
    assert make_line(commune, sources, categories, 0, source="III").planned == 0  # a group without sub-sources
    assert BudgetLine.objects.count() == 1


def test_an_allocation_cannot_exceed_what_the_line_has_left(line, objective, task):
    budget.allocation_set(line=line, task=task, amount=70_000_000, allocated_on=date(2025, 3, 1), by=None)
    second = make_task(objective, "NV-02")
    with pytest.raises(ValidationError) as error:
        budget.allocation_set(line=line, task=second, amount=30_000_001, allocated_on=date(2025, 3, 1), by=None)
    assert "30.000.000" in error.value.message_dict["amount"][0]
    budget.allocation_set(line=line, task=second, amount=30_000_000, allocated_on=date(2025, 3, 1), by=None)
    assert Allocation.objects.aggregate(t=Sum("amount"))["t"] == 100_000_000
    with pytest.raises(ValidationError):
        budget.allocation_set(line=line, task=second, amount=-1, allocated_on=date(2025, 3, 1), by=None)


def test_a_task_of_another_commune_cannot_receive_money(line, other_plan):
    foreign = make_task(other_plan.objectives.get(), "NV-01")
    with pytest.raises(ValidationError) as error:
        budget.allocation_set(line=line, task=foreign, amount=1_000, allocated_on=date(2025, 3, 1), by=None)
    assert "task" in error.value.message_dict
    assert not Allocation.objects.exists()


def test_a_disbursement_cannot_exceed_the_allocation(allocation):
    budget.disbursement_create(
        allocation=allocation, paid_on=date(2025, 4, 1), amount=50_000_000, document_number="PC 1", by=None
    )
    with pytest.raises(ValidationError) as error:
        budget.disbursement_create(
            allocation=allocation, paid_on=date(2025, 4, 2), amount=10_000_001, document_number="PC 2", by=None
        )
    assert "10.000.000" in error.value.message_dict["amount"][0]
    assert Disbursement.objects.count() == 1


def test_a_disbursement_cannot_exceed_the_line(allocation, line):
    # A line corrected below what its allocations hold (e.g. by the province) still caps what is paid out.
    BudgetLine.objects.filter(pk=line.pk).update(planned=20_000_000)
    with pytest.raises(ValidationError) as error:
        budget.disbursement_create(
            allocation=allocation, paid_on=date(2025, 4, 1), amount=20_000_001, document_number="PC 1", by=None
        )
    assert "20.000.000" in error.value.message_dict["amount"][0]
    assert not Disbursement.objects.exists()


def test_a_line_cannot_be_planned_below_what_is_allocated(allocation, line):
    with pytest.raises(ValidationError):
        budget.budget_line_change(line=line, planned=59_999_999)
    assert budget.budget_line_change(line=line, planned=60_000_000).planned == 60_000_000


def test_disbursement_rules(allocation):
    def pay(**overrides):
        values = {
            "allocation": allocation,
            "paid_on": date(2025, 4, 1),
            "amount": 1_000,
            "document_number": "PC 1",
            "by": None,
        }
        values.update(overrides)
        return budget.disbursement_create(**values)

    for overrides, field in (
        ({"amount": -1}, "amount"),
        ({"amount": 0}, "amount"),
        ({"document_number": " "}, "document_number"),
        ({"paid_on": date(2024, 12, 31)}, "paid_on"),
        ({"paid_on": date(2026, 2, 1)}, "paid_on"),
        ({"labour_days": Decimal(3)}, "labour_days"),  # labour belongs to contributions in kind
    ):
        with pytest.raises(ValidationError) as error:
            pay(**overrides)
        assert field in error.value.message_dict, overrides
    assert pay(paid_on=date(2026, 1, 20)).amount == 1_000  # January after the year is still the year's money
    assert Disbursement.objects.count() == 1


def test_labour_days_and_goods_are_converted_to_money(commune, sources, categories, task):
    line = make_line(
        commune, sources, categories, 30_000_000, source="VI.2", category="dt-ha-tang-so", content="Ngày công"
    )
    allocation = budget.allocation_set(line=line, task=task, amount=30_000_000, allocated_on=date(2025, 3, 1), by=None)
    contribution = budget.disbursement_create(
        allocation=allocation, paid_on=date(2025, 8, 20), document_number="BB 07", by=None,
        labour_days=Decimal("80.5"), daily_rate=250_000, in_kind_value=2_500_000,
    )  # fmt: skip
    assert contribution.amount == 80 * 250_000 + 125_000 + 2_500_000
    with pytest.raises(ValidationError) as error:
        budget.disbursement_create(allocation=allocation, paid_on=date(2025, 8, 21), document_number="BB 08", by=None,
                                   labour_days=Decimal(10), daily_rate=-250_000)  # fmt: skip
    assert "daily_rate" in error.value.message_dict
    with pytest.raises(ValidationError):
        budget.disbursement_create(allocation=allocation, paid_on=date(2025, 8, 21), document_number="BB 08", by=None,
                                   labour_days=Decimal(100), daily_rate=250_000)  # 25.000.000 > 7.375.000 left  # fmt: skip
    assert Disbursement.objects.count() == 1


def test_a_settlement_closes_the_allocation(allocation):
    budget.disbursement_create(
        allocation=allocation, paid_on=date(2025, 4, 1), amount=50_000_000, document_number="PC 1", by=None
    )
    with pytest.raises(ValidationError):
        budget.settlement_create(
            allocation=allocation, settled_on=date(2025, 10, 1), amount=50_000_001, document_number="QĐ 1", by=None
        )
    budget.settlement_create(
        allocation=allocation, settled_on=date(2025, 10, 1), amount=49_000_000, document_number="QĐ 1", by=None
    )
    with pytest.raises(ValidationError):
        budget.settlement_create(
            allocation=allocation, settled_on=date(2025, 10, 2), amount=1, document_number="QĐ 2", by=None
        )
    with pytest.raises(ValidationError):
        budget.disbursement_create(
            allocation=allocation, paid_on=date(2025, 10, 5), amount=1_000, document_number="PC 2", by=None
        )
    with pytest.raises(ValidationError):
        budget.allocation_set(
            line=allocation.line, task=allocation.task, amount=55_000_000, allocated_on=date(2025, 3, 1), by=None
        )
    assert Settlement.objects.get().amount == 49_000_000 and Disbursement.objects.count() == 1


def test_the_disbursement_page_reads_grouped_amounts_and_refuses_too_much(login, official, allocation, line):
    client = login(official)
    url = reverse("program:disburse", args=["21238", line.pk])
    data = {"allocation": allocation.pk, "paid_on": "01/04/2025", "document_number": "PC 01/2025"}
    assert client.post(url, {**data, "amount": "1.234.567"}).status_code == 302
    assert client.post(url, {**data, "amount": "1,234,567"}).status_code == 302
    assert list(Disbursement.objects.values_list("amount", flat=True)) == [1_234_567, 1_234_567]
    response = client.post(url, {**data, "amount": "-1.000"})
    assert response.status_code == 400
    response = client.post(url, {**data, "amount": "60.000.000"})  # 57.530.866 left
    assert response.status_code == 400
    assert "Vượt số còn lại của khoản phân bổ: 57.530.866 đồng." in response.content.decode()
    assert Disbursement.objects.count() == 2


def test_the_line_and_allocation_pages_create_and_refuse(login, official, sources, task, commune):
    client = login(official)
    response = client.post(
        reverse("program:line_create", args=["21238"]),
        {"year": 2025, "source": sources["II.2"].pk, "category": SpendingCategory.objects.get(code="sn-truyen-thong").pk,
         "content": "Truyền thông", "planned": "40.000.000"},
    )  # fmt: skip
    assert response.status_code == 302
    line = BudgetLine.objects.get()
    assert line.planned == 40_000_000
    url = reverse("program:allocate", args=["21238", line.pk])
    assert client.post(url, {"task": task.pk, "amount": "40.000.001", "allocated_on": "01/03/2025"}).status_code == 400
    assert client.post(url, {"task": task.pk, "amount": "40,000,000", "allocated_on": "01/03/2025"}).status_code == 302
    assert Allocation.objects.get().amount == 40_000_000


# Reports ------------------------------------------------------------------------------------------

# (source, category, planned, [(task code, allocated, [(date, amount)], settled amount or None)])
FIXTURE = [
    ("I.1", "dt-ha-tang-so", 500_000_000, [("NV-01", 450_000_000, [(date(2025, 3, 10), 120_000_000),
                                                                      (date(2025, 6, 30), 80_000_000),
                                                                      (date(2025, 7, 1), 150_000_000)], 350_000_000)]),
    ("I.2", "sn-dao-tao", 120_000_000, [("NV-02", 100_000_000, [(date(2025, 5, 2), 35_500_000),
                                                                 (date(2025, 11, 25), 31_200_000)], None)]),
    ("II.1", "dt-ha-tang-so", 150_000_000, [("NV-01", 150_000_000, [(date(2025, 8, 30), 82_400_000)], None)]),
    ("II.2", "sn-truyen-thong", 40_000_000, [("NV-03", 40_000_000, [(date(2025, 1, 15), 8_000_001)], None)]),
    ("II.2", "dt-truyen-thanh", 85_000_000, []),
    ("III", "sn-ho-tro-san-xuat", 200_000_000, [("NV-02", 120_000_000, [(date(2025, 9, 15), 50_000_000)], None),
                                                ("NV-03", 80_000_000, [(date(2025, 6, 1), 22_000_000)], 22_000_000)]),
    ("IV", "sn-ho-tro-san-xuat", 100_000_000, [("NV-03", 100_000_000, [(date(2025, 8, 5), 100_000_000)], None)]),
    ("V", "dt-ha-tang-so", 300_000_000, [("NV-01", 300_000_000, [(date(2025, 4, 15), 120_000_000)], None)]),
    ("VI.1", "dt-ha-tang-so", 25_000_000, [("NV-03", 25_000_000, [], None)]),
    ("VI.2", "dt-ha-tang-so", 30_000_000, [("NV-02", 30_000_000, [(date(2025, 8, 20), 22_500_000)], None)]),
]  # fmt: skip


@pytest.fixture
def fixture_budget(commune, objective, sources, categories, other_commune):
    task_by_code = {code: make_task(objective, code) for code in ("NV-01", "NV-02", "NV-03")}
    for index, (source, category, planned, allocations) in enumerate(FIXTURE):
        line = make_line(
            commune, sources, categories, planned, source=source, category=category, content=f"Dòng {index}"
        )
        for code, amount, payments, settled in allocations:
            allocation = budget.allocation_set(
                line=line, task=task_by_code[code], amount=amount, allocated_on=date(2025, 1, 2), by=None
            )
            for paid_on, value in payments:
                if sources[source].kind == "in_kind":
                    budget.disbursement_create(allocation=allocation, paid_on=paid_on, document_number="BB", by=None,
                                               labour_days=Decimal(90), daily_rate=250_000)  # 22.500.000  # fmt: skip
                else:
                    budget.disbursement_create(
                        allocation=allocation, paid_on=paid_on, amount=value, document_number="PC", by=None
                    )
            if settled is not None:
                budget.settlement_create(
                    allocation=allocation, settled_on=date(2025, 12, 20), amount=settled, document_number="QĐ", by=None
                )
    # Noise that must not count: another year, and another commune.
    make_line(commune, sources, categories, 999_000_000, source="I.1", content="Năm 2024", year=2024)
    make_line(other_commune, sources, categories, 777_000_000, source="I.1", content="Xã khác")


def expected(until: date | None) -> dict:
    """The fixture summed by hand: by group of sources, by kind of category, and in total."""
    by_group, by_kind, total = {}, {}, [0, 0, 0, 0]
    kinds = dict(SpendingCategory.objects.values_list("code", "kind"))
    for source, category, planned, allocations in FIXTURE:
        allocated = sum(a[1] for a in allocations)
        paid = sum(amount for a in allocations for when, amount in a[2] if until is None or when <= until)
        settled = sum(a[3] or 0 for a in allocations)
        for key, bucket in ((source.split(".")[0], by_group), (kinds[category], by_kind)):
            row = bucket.setdefault(key, [0, 0, 0, 0])
            for i, value in enumerate((planned, allocated, paid, settled)):
                row[i] += value
        for i, value in enumerate((planned, allocated, paid, settled)):
            total[i] += value
    return {"group": by_group, "kind": by_kind, "total": total}


def _rows(sheet) -> list[tuple]:
    return [r for r in sheet.iter_rows(min_row=7, values_only=True) if any(c not in (None, "") for c in r)]


def test_the_summary_reconciles_with_the_fixture(fixture_budget, commune):
    for until in (date(2025, 6, 30), None):
        summary = selectors.budget_summary(commune, 2025, until=until)
        want = expected(until)
        total = summary.total
        assert [total.planned, total.allocated, total.disbursed] == want["total"][:3]
        groups = {r.code: r.amounts for r in summary.by_source if r.level == 0}
        for code, (planned, allocated, paid, _settled) in want["group"].items():
            assert (groups[code].planned, groups[code].allocated, groups[code].disbursed) == (planned, allocated, paid)
        kinds = {r.code: r.amounts for r in summary.by_category if r.level == 0}
        for kind, (planned, _a, paid, _s) in want["kind"].items():
            assert (kinds[kind].planned, kinds[kind].disbursed) == (planned, paid)
        assert (
            sum(r.amounts.planned for r in summary.by_source if r.level == 1)
            + groups["III"].planned
            + groups["IV"].planned
            + groups["V"].planned
            == total.planned
        )


@pytest.mark.parametrize("layout, until", [("6-thang", date(2025, 6, 30)), ("ca-nam", None)])
def test_the_xlsx_report_totals_match_the_fixture_summed_independently(login, official, fixture_budget, layout, until):
    response = login(official).get(reverse("program:budget_report", args=["21238", 2025, layout]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    want = expected(until)
    yearly = layout == "ca-nam"
    # columns: #, label, planned, allocated, disbursed, rate, [settled,] remaining
    by_source, by_category, lines = (_rows(book[name]) for name in book.sheetnames)
    groups = {r[0]: r for r in by_source if r[0] in want["group"] or r[0] in ("I", "II", "III", "IV", "V", "VI")}
    for code, (planned, allocated, paid, settled) in want["group"].items():
        row = groups[code]
        assert row[2:5] == (planned, allocated, paid), code
        assert row[-1] == planned - paid
        if yearly:
            assert row[6] == settled
    grand = [want["total"][0], want["total"][1], want["total"][2]]
    for sheet_rows, offset in ((by_source, 2), (by_category, 2), (lines, 5)):
        total_row = sheet_rows[-1]
        assert list(total_row[offset : offset + 3]) == grand
    # Every sheet adds up: sub-rows to groups, lines to the total.
    assert sum(r[5] for r in lines[:-1]) == want["total"][0]
    assert len(lines) - 1 == len(FIXTURE)
    assert by_source[-1][1] == "TỔNG CỘNG" and book[book.sheetnames[0]]["A6"].value == "#"
    rate = by_source[-1][5]
    assert rate == pytest.approx(round(want["total"][2] * 100 / want["total"][0], 1))
    assert isinstance(by_source[0][2], int) and book[book.sheetnames[0]].cell(row=7, column=3).number_format == "#,##0"


def test_the_budget_api_gives_the_same_totals(client, official, fixture_budget):
    client.force_login(official, backend="django.contrib.auth.backends.ModelBackend")
    data = client.get("/api/v1/program/communes/21238/budget?year=2025&until=2025-06-30").json()
    want = expected(date(2025, 6, 30))
    assert [data["total"]["planned"], data["total"]["allocated"], data["total"]["disbursed"]] == want["total"][:3]
    assert {r["code"]: r["amounts"]["planned"] for r in data["by_source"] if r["level"] == 0}["VI"] == want["group"][
        "VI"
    ][0]


# Concurrency --------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_disbursements_cannot_overspend(commune, objective, official):
    catalogue.load()
    sources = {s.code: s for s in FundingSource.objects.all()}
    categories = {c.code: c for c in SpendingCategory.objects.all()}
    line = make_line(commune, sources, categories, 100_000_000)
    allocation = budget.allocation_set(
        line=line, task=make_task(objective), amount=100_000_000, allocated_on=date(2025, 3, 1), by=None
    )
    attempts, barrier = 8, threading.Barrier(8)
    outcomes = []

    def pay(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            budget.disbursement_create(allocation=allocation, paid_on=date(2025, 5, 1), amount=30_000_000,
                                       document_number=f"PC {n}", by=None)  # fmt: skip
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        except OperationalError:  # SQLite: a writer found the database busy and gave up; nothing written
            outcomes.append("busy")
        finally:
            connection.close()  # the thread's own connection

    threads = [threading.Thread(target=pay, args=(n,)) for n in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    paid = Disbursement.objects.aggregate(total=Sum("amount"))["total"] or 0
    assert paid <= 100_000_000
    assert outcomes.count("ok") == Disbursement.objects.count() <= 3
    assert outcomes.count("ok") >= 1 and len(outcomes) == attempts
