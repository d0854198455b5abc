import io
import unicodedata

import pytest

from smartcommune.core import crypto, tabular
from smartcommune.places.models import Village
from smartcommune.registry import importing
from smartcommune.registry.models import Household, HouseholdYear, Organisation

from .conftest import csv_bytes, household_row, xlsx_bytes


def run(commune, data: bytes, kind="households"):
    return importing.import_file(kind=kind, commune=commune, fileobj=io.BytesIO(data))


def snapshot():
    return (
        list(Household.objects.order_by("pk").values_list("code", "head_name", "village_id", "phone")),
        list(HouseholdYear.objects.order_by("pk").values_list("household__code", "year", "members", "income")),
    )


def test_a_good_file_creates_households_with_their_year(commune, villages):
    result = run(commune, csv_bytes([household_row("H1"), household_row("H2", "T02")]))
    assert (result.ok, result.created, result.updated) == (True, 2, 0)
    household = Household.objects.get(code="H1")
    assert household.village == villages[0] and household.head_name == "Nguyễn Văn Đồng"
    assert household.head_id_number == "051090123456"
    assert household.head_id_digest == crypto.digest("051090123456")
    assert household.years.get().income == 240_000_000


def test_the_personal_id_number_is_stored_encrypted(commune, villages):
    from django.db import connection

    run(commune, csv_bytes([household_row("H1")]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT head_id_number FROM registry_household")
        stored = cursor.fetchone()[0]
    assert "051090123456" not in stored and stored.startswith("v1:")


def test_importing_the_same_file_again_updates_instead_of_duplicating(commune, villages):
    data = csv_bytes([household_row("H1"), household_row("H1", year=2024, members=5)])
    run(commune, data)
    again = run(commune, csv_bytes([household_row("H1", members=6), household_row("H1", year=2024, members=5)]))
    assert (again.created, again.updated) == (0, 2)
    assert Household.objects.count() == 1
    assert dict(HouseholdYear.objects.values_list("year", "members")) == {2024: 5, 2025: 6}


def test_a_new_year_keeps_the_earlier_years_as_they_were(commune, villages):
    run(commune, csv_bytes([household_row("H1", year=2024, smartphone=False)]))
    run(commune, csv_bytes([household_row("H1", year=2025, smartphone=True)]))
    assert dict(HouseholdYear.objects.values_list("year", "smartphone")) == {2024: False, 2025: True}


def test_every_bad_row_is_named_and_nothing_is_saved(commune, villages, households):
    before = snapshot()
    rows = [
        household_row("H001", head_name="Đổi Tên"),  # good, but must not be saved
        household_row("H010", village="ZZ"),
        household_row("H011", head_id_number="123"),
        household_row("H012", insured_members=9),
        household_row("H013", phone="0123456"),
        household_row("H001", head_name="Trùng"),
    ]
    result = run(commune, csv_bytes(rows))
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "Mã thôn"),
        (4, "Số định danh chủ hộ"),
        (5, "Số người có BHYT"),
        (6, "Số điện thoại"),
        (7, "Mã hộ"),
    }
    assert "dòng 2" in next(e.reason for e in result.errors if e.row == 7)
    assert snapshot() == before


def test_a_repeated_household_year_names_its_first_row_however_far_apart(commune, villages):
    rows = [household_row(f"H{n:05d}") for n in range(importing.BATCH + 500)]  # H00001 is on row 3
    rows += [household_row("H00001"), household_row("H00001", year=2024), household_row("H00001", head_name="Ba")]
    result = run(commune, csv_bytes(rows))

    last = len(rows) + 1
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (last - 2, "Mã hộ", "H00001"),
        (last, "Mã hộ", "H00001"),
    ]
    assert all(e.reason == "Hộ và năm này đã có ở dòng 3." for e in result.errors)
    assert not Household.objects.exists()


def test_repeated_rows_are_still_found_after_a_bad_row(commune, villages):
    rows = [household_row("H1", village="ZZ"), household_row("H2"), household_row("H3"), household_row("H2")]
    result = run(commune, csv_bytes(rows))

    assert [(e.row, e.column) for e in result.errors] == [(2, "Mã thôn"), (5, "Mã hộ")]
    assert "dòng 3" in result.errors[1].reason
    assert run(commune, csv_bytes(rows[1:3])).ok  # nothing of the refused file is in the way


def test_a_file_that_breaks_half_way_leaves_nothing_and_the_next_import_works(commune, villages):
    rows = [household_row(f"H{n:05d}") for n in range(importing.BATCH + 10)]
    broken = csv_bytes(rows) + b'H99999,"' + b"x" * 200_000  # an unclosed quote: a field too long to read
    with pytest.raises(tabular.FileError):
        run(commune, broken)
    assert not Household.objects.exists()
    assert run(commune, csv_bytes(rows[:2])).ok


def test_the_history_says_which_households_a_file_added_and_which_it_changed(commune, villages):
    run(commune, csv_bytes([household_row("H1")]))
    run(commune, csv_bytes([household_row("H1", members=5), household_row("H2")]))

    assert sorted(Household.history.values_list("code", "history_type")) == [("H1", "+"), ("H1", "~"), ("H2", "+")]
    assert sorted(HouseholdYear.history.values_list("household__code", "members")) == [("H1", 4), ("H1", 5), ("H2", 4)]


def test_a_file_that_is_not_a_spreadsheet_is_refused(commune, villages):
    with pytest.raises(tabular.FileError) as error:
        run(commune, b"%PDF-1.4 not a sheet")
    assert "không phải bảng tính" in str(error.value.messages[0])


def test_missing_and_unknown_headers_are_all_listed(commune, villages):
    data = "Mã hộ,Cột lạ\nH1,x\n".encode()
    with pytest.raises(tabular.FileError) as error:
        run(commune, data)
    text = " ".join(error.value.messages)
    assert "Cột lạ" in text and "Họ tên chủ hộ" in text and "Số nhân khẩu" in text


def cp1258(text: str) -> bytes:
    # Windows-1258 writes most Vietnamese letters as a base letter plus a combining tone mark.
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:  # e.g. "ồ" = "ô" (in the code page) + combining grave accent
            base, *marks = unicodedata.normalize("NFD", ch)
            for mark in marks:
                composed = unicodedata.normalize("NFC", base + mark)
                if len(composed) == 1 and composed.encode("cp1258", "ignore"):
                    base, marks = composed, [m for m in marks if m != mark]
                    break
            out.append((base + "".join(marks)).encode("cp1258"))
    return b"".join(out)


def test_windows_1258_and_utf8_with_bom_files_read_the_same(commune, villages):
    text = csv_bytes([household_row("H1", head_name="Nguyễn Thị Hồng Đào")]).decode("utf-8-sig")
    run(commune, cp1258(text))
    assert Household.objects.get().head_name == "Nguyễn Thị Hồng Đào"
    run(commune, text.replace("Hồng Đào", "Hồng Đào Mới").encode("utf-8-sig"))
    assert Household.objects.get().head_name == "Nguyễn Thị Hồng Đào Mới"


def test_dates_and_numbers_in_vietnamese_or_plain_form(commune, villages):
    rows = [household_row("H1", income="1.234.567"), household_row("H2", income="7654321")]
    assert run(commune, csv_bytes(rows)).ok
    assert dict(HouseholdYear.objects.values_list("household__code", "income")) == {"H1": 1234567, "H2": 7654321}


def test_xlsx_import_gives_the_same_result_as_csv(commune, villages):
    assert run(commune, xlsx_bytes([household_row("H1"), household_row("H2", "T02")])).ok
    assert Household.objects.count() == 2 and HouseholdYear.objects.filter(year=2025).count() == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_gives_back_exactly_what_import_takes(commune, villages, households, fmt):
    def exported() -> bytes:
        if fmt == "xlsx":
            out = io.BytesIO()
            importing.export_file(kind="households", commune=commune, fmt="xlsx", out=out)
            return out.getvalue()
        out = io.StringIO()
        importing.export_file(kind="households", commune=commune, fmt="csv", out=out)
        return out.getvalue().encode("utf-8")

    first = exported()
    before = snapshot()
    result = run(commune, first)
    assert result.ok and result.created == 0 and result.updated == 3
    assert snapshot() == before
    assert list(importing.household_export_rows(commune, {})) == list(importing.household_export_rows(commune, {}))


def test_organisations_import_with_bank_and_tax_checks(commune, villages):
    good = {
        "code": "htx-01", "name": "HTX Mẫu", "kind": "hợp tác xã", "tax_code": "0100233488",
        "village": "T01", "bank_bin": "970405", "bank_account": "3600 2051 23456", "bank_account_name": "HTX MAU",
    }  # fmt: skip
    bad_tax = {**good, "code": "HTX-02", "tax_code": "0100233489"}
    bad_bank = {**good, "code": "HTX-03", "bank_bin": "999999"}
    result = run(commune, csv_bytes([good, bad_tax, bad_bank], importing.ORG_COLUMNS), kind="organisations")
    assert {e.column for e in result.errors} == {"Mã số thuế", "Mã ngân hàng (BIN)"}
    assert not Organisation.objects.exists()
    assert run(commune, csv_bytes([good], importing.ORG_COLUMNS), kind="organisations").ok
    organisation = Organisation.objects.get()
    assert organisation.code == "HTX-01" and organisation.bank_account == "3600205123456"


def test_villages_import_adds_and_renames_by_code(commune, villages):
    rows = [
        {"code": "t01", "name": "Thôn Đồng Lớn Mới", "kind": "thôn"},
        {"code": "T09", "name": "Tổ 9", "kind": "tổ dân phố"},
    ]
    result = run(commune, csv_bytes(rows, importing.VILLAGE_COLUMNS), kind="villages")
    assert (result.created, result.updated) == (1, 1)
    villages[0].refresh_from_db()
    assert villages[0].name == "Thôn Đồng Lớn Mới"


def test_import_rows_itself_is_all_or_nothing_when_a_later_batch_has_a_bad_row(commune, villages, monkeypatch):
    from smartcommune.registry.services import _MappingRows

    monkeypatch.setattr(importing, "BATCH", 2)  # the good rows before the bad one are written, then undone
    rows = [{"code": f"X{n}", "name": f"Tổ {n}", "kind": "thon"} for n in range(5)] + [{"code": "", "name": "?"}]
    reader = _MappingRows(rows, importing.VILLAGES.columns)
    result = importing.import_rows(spec=importing.VILLAGES, commune=commune, rows=tabular.validate_rows(reader))
    assert result.errors and [e.row for e in result.errors] == [6]
    assert not Village.objects.filter(code__startswith="X").exists()
