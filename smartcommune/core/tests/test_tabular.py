"""The spreadsheet engine: reading CSV and XLSX, checking headers and cells, writing files back."""

import csv
import datetime
import io
import os
import tempfile
import tracemalloc
import unicodedata
import zipfile
from decimal import Decimal
from types import SimpleNamespace

import django
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from smartcommune.core import tabular

# Lets this file run on its own (pytest -p no:django); under pytest-django the project settings win.
if not settings.configured:
    settings.configure(USE_I18N=True)
    django.setup()


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English; Vietnamese comes from locale/vi, checked elsewhere."""
    with translation.override("en"):
        yield


KINDS = {"poor": "Hộ nghèo", "near_poor": "Hộ cận nghèo", "other": "Khác"}
COLUMNS = [
    tabular.Column("code", "Mã hộ", tabular.parse_text(20), required=True, example="VG-0001"),
    tabular.Column("head", "Chủ hộ", tabular.parse_text(100), required=True, example="Nguyễn Văn Đồng"),
    tabular.Column("members", "Số nhân khẩu", tabular.bounded(tabular.parse_int, min_value=0), example="4"),
    tabular.Column("income", "Thu nhập", tabular.parse_decimal, example="1.234.567,5"),
    tabular.Column("surveyed", "Ngày khảo sát", tabular.parse_date, example="05/03/2025"),
    tabular.Column("smartphone", "Có điện thoại thông minh", tabular.parse_bool, example="có"),
    tabular.Column(
        "kind",
        "Phân loại",
        tabular.parse_choice({label: value for value, label in KINDS.items()}),
        example="Hộ nghèo",
        format=tabular.format_choice(KINDS),
        help="Hộ nghèo, Hộ cận nghèo hoặc Khác",
    ),
]
HEADER = "Mã hộ,Chủ hộ,Số nhân khẩu,Thu nhập,Ngày khảo sát,Có điện thoại thông minh,Phân loại\r\n"
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def read(data: bytes, columns=COLUMNS) -> list:
    return list(tabular.validate_rows(tabular.open_rows(io.BytesIO(data), columns)))


def values(data: bytes, columns=COLUMNS) -> list[dict]:
    items = read(data, columns)
    assert all(isinstance(item, tabular.ValidRow) for item in items), items
    return [item.values for item in items]


def file_error(data: bytes, columns=COLUMNS) -> list[str]:
    with pytest.raises(tabular.FileError) as caught:
        read(data, columns)
    return caught.value.messages


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cp1258(text: str) -> bytes:
    """Text as Windows writes it in code page 1258: base letters precomposed, tone marks combining."""
    encoded = []
    for char in text:
        try:
            encoded.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            encoded.append((base + "".join(c for c in parts if c in TONE_MARKS)).encode("cp1258"))
    return b"".join(encoded)


# Reading ----------------------------------------------------------------------------------------


def test_it_reads_a_utf8_csv():
    rows = values((HEADER + "VG-1,Trần Thị Bé,4,1234567.5,05/03/2025,có,Hộ nghèo\r\n").encode())

    assert rows == [
        {
            "code": "VG-1",
            "head": "Trần Thị Bé",
            "members": 4,
            "income": Decimal("1234567.5"),
            "surveyed": datetime.date(2025, 3, 5),
            "smartphone": True,
            "kind": "poor",
        }
    ]


def test_it_reads_a_utf8_csv_with_the_bom_excel_writes():
    rows = values(("\ufeff" + HEADER + "VG-1,Lê Văn Tám,,,,,\r\n").encode())

    assert rows[0]["code"] == "VG-1"
    assert rows[0]["head"] == "Lê Văn Tám"


def test_it_reads_windows_1258_vietnamese_as_the_same_nfc_text():
    data = cp1258("Mã hộ,Chủ hộ\r\nVG-1,Nguyễn Văn Đồng\r\n")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    rows = values(data)

    assert rows[0]["head"] == "Nguyễn Văn Đồng"
    assert unicodedata.is_normalized("NFC", rows[0]["head"])


def test_it_turns_decomposed_utf8_text_into_nfc():
    data = unicodedata.normalize("NFD", "Mã hộ,Chủ hộ\nVG-1,Nguyễn Văn Đồng\n").encode()

    assert values(data)[0]["head"] == "Nguyễn Văn Đồng"


def test_it_reads_utf16_text_as_excel_saves_unicode_text():
    data = "Mã hộ\tChủ hộ\r\nVG-1\tNguyễn Văn Đồng\r\n".encode("utf-16")

    assert values(data) == [{"code": "VG-1", "head": "Nguyễn Văn Đồng"}]


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
def test_it_finds_the_delimiter_from_the_header(delimiter):
    data = delimiter.join(["Mã hộ", "Chủ hộ", "Thu nhập"]) + "\n"
    data += delimiter.join(["VG-1", "Phạm Văn A", '"1.234,5"']) + "\n"

    assert values(data.encode()) == [{"code": "VG-1", "head": "Phạm Văn A", "income": Decimal("1234.5")}]


def test_it_reads_an_xlsx_with_text_numbers_and_real_dates():
    data = xlsx(
        [
            ["Mã hộ", "Chủ hộ", "Số nhân khẩu", "Thu nhập", "Ngày khảo sát", "Có điện thoại thông minh"],
            [101, "Nguyễn Văn Đồng", 4, 1234.5, datetime.date(2025, 3, 5), True],
            ["VG-2", "Lê Thị Hoa", "3", "2.500.000", "06/03/2025", "không"],
        ]
    )

    assert values(data) == [
        {
            "code": "101",
            "head": "Nguyễn Văn Đồng",
            "members": 4,
            "income": Decimal("1234.5"),
            "surveyed": datetime.date(2025, 3, 5),
            "smartphone": True,
        },
        {
            "code": "VG-2",
            "head": "Lê Thị Hoa",
            "members": 3,
            "income": Decimal("2500000"),
            "surveyed": datetime.date(2025, 3, 6),
            "smartphone": False,
        },
    ]


def test_a_large_xlsx_is_streamed_and_gives_the_same_rows(monkeypatch):
    data = xlsx(
        [
            [],
            [None, "Mã hộ", "Chủ hộ", "Ngày khảo sát"],
            [None, "VG-1", "Nguyễn Văn Đồng", datetime.date(2025, 3, 5)],
            [],
            [None, "VG-2", "", "2025-03-06"],
        ]
    )
    in_memory = read(data)
    monkeypatch.setattr(tabular, "XLSX_IN_MEMORY_LIMIT", 0)  # every sheet counts as large

    streamed = read(data)

    assert streamed == in_memory
    assert [item.row for item in streamed] == [3, 5]
    assert streamed[1] == tabular.RowError(5, "Chủ hộ", "", "This column is required.")


def test_the_header_and_rows_keep_the_row_numbers_a_person_sees():
    data = ("\n" + HEADER + "VG-1,A,,,,,\n,,,,,,\n\nVG-2,,,,,,\n").encode()

    items = read(data)

    assert [item.row for item in items] == [3, 6]
    assert items[1] == tabular.RowError(6, "Chủ hộ", "", "This column is required.")


def test_it_reads_an_uploaded_django_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("ho.csv", "Mã hộ,Chủ hộ\nVG-1,Đinh Văn Út\n".encode())

    rows = list(tabular.validate_rows(tabular.open_rows(upload, COLUMNS)))

    assert rows == [tabular.ValidRow(2, {"code": "VG-1", "head": "Đinh Văn Út"})]
    assert not upload.closed


def _zip(names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        _zip(["notes.txt"]),
        _zip(["word/document.xml", "[Content_Types].xml"]),
        b"PK\x03\x04 but not really a zip",
        b"Ma ho,Chu ho\nVG-1,\x00\x00\x00\n",
    ],
    ids=["pdf", "png", "zip", "docx", "broken-zip", "nul-bytes"],
)
def test_it_refuses_a_file_that_is_not_a_spreadsheet(data):
    assert file_error(data) == ["This file is not a spreadsheet (.xlsx or .csv)."]


def test_it_says_how_to_fix_an_old_xls_file():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)

    assert file_error(data) == ["This is an old .xls or a password-protected workbook: save it as .xlsx or .csv."]


def test_it_refuses_an_empty_file():
    assert file_error(b"") == ["The file is empty."]
    assert file_error(b"\r\n ,, \r\n") == ["The file is empty."]


def test_it_refuses_text_in_an_unknown_encoding():
    data = b"M\xe3 h\xf4\xd2,Ch\xf9 h\xf4\xd2\r\nVG-1,\x81\x8d\r\n"  # 0x81 and 0x8d mean nothing in cp1258

    assert file_error(data) == ["The text of this file is in an unknown encoding: save it as \u201cCSV UTF-8\u201d."]


# Headers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code_header", ["Mã hộ", "mã hộ", "MA HO", "ma_ho", " Mã  Hộ ", "code", "CODE"])
def test_headers_match_in_any_case_with_or_without_accents_or_by_key(code_header):
    data = f"{code_header},CHỦ HỘ\nVG-1,Hà Văn Bình\n".encode()

    assert values(data) == [{"code": "VG-1", "head": "Hà Văn Bình"}]


def test_every_header_problem_is_listed_at_once():
    data = "Mã hộ,Tuổi,ma ho,Ghi chú,,Thu nhập\nVG-1,40,VG-1,x,,1\n".encode()

    assert file_error(data) == [
        "Unknown column \u201cTuổi\u201d (column B).",
        "Unknown column \u201cGhi chú\u201d (column D).",
        "The column \u201cMã hộ\u201d appears more than once (columns A, C).",
        "The required column \u201cChủ hộ\u201d is missing.",
    ]


def test_a_column_without_a_header_is_ignored():
    data = "Mã hộ,,Chủ hộ\nVG-1,note beside the table,Lò Văn Pá\n".encode()

    assert values(data) == [{"code": "VG-1", "head": "Lò Văn Pá"}]


def test_the_reader_yields_raw_cells_by_key_and_the_columns_found():
    reader = tabular.open_rows(io.BytesIO("Chủ hộ,Mã hộ\n Lò Văn Pá ,VG-1\n".encode()), COLUMNS)

    assert [column.key for column in reader.columns] == ["head", "code"]
    assert reader.header_row == 1
    assert list(reader) == [(2, {"head": " Lò Văn Pá ", "code": "VG-1"})]


# Cells ------------------------------------------------------------------------------------------


def test_every_bad_cell_is_listed_with_its_row_and_column():
    data = (
        HEADER
        + "VG-1,Nguyễn A,bốn,12abc,31/02/2025,có,Hộ nghèo\r\n"
        + "VG-2,Nguyễn B,2,100,01/01/2025,có,Hộ nghèo\r\n"
        + ",,-1,,2025-13-01,maybe,Hộ giàu\r\n"
        + ("X" * 21)
        + ",Nguyễn C,,,,,\r\n"
    ).encode()

    items = read(data)

    assert items == [
        tabular.RowError(2, "Số nhân khẩu", "bốn", "Enter a whole number."),
        tabular.RowError(2, "Thu nhập", "12abc", "Enter a number, for example 1.234.567,5 or 1234567.5."),
        tabular.RowError(2, "Ngày khảo sát", "31/02/2025", "31/02/2025 is not a real date."),
        tabular.ValidRow(3, items[3].values),
        tabular.RowError(4, "Mã hộ", "", "This column is required."),
        tabular.RowError(4, "Chủ hộ", "", "This column is required."),
        tabular.RowError(4, "Số nhân khẩu", "-1", "Enter at least 0."),
        tabular.RowError(4, "Ngày khảo sát", "2025-13-01", "2025-13-01 is not a real date."),
        tabular.RowError(4, "Có điện thoại thông minh", "maybe", "Enter có or không (yes or no)."),
        tabular.RowError(4, "Phân loại", "Hộ giàu", "Choose one of: Hộ nghèo, Hộ cận nghèo, Khác."),
        tabular.RowError(5, "Mã hộ", "X" * 21, "Use at most 20 characters (this has 21)."),
    ]
    assert items[3].values["kind"] == "poor"


def test_cells_repeated_down_the_file_read_alike_and_bad_ones_are_reported_every_time():
    lines = [f"VG-{n},Chủ {n},{n % 400},,,có,Khác\r\n" for n in range(800)]  # more texts than a column remembers
    lines += ["VG-X,Chủ X,bốn,,,có,Khác\r\n", ",Chủ Y, bốn ,,,có,Khác\r\n"] * 2
    items = read((HEADER + "".join(lines)).encode())

    assert [item.values["members"] for item in items[:800]] == [n % 400 for n in range(800)]
    assert [(error.row, error.column, error.value) for error in items[800:]] == [
        (802, "Số nhân khẩu", "bốn"),
        (803, "Mã hộ", ""),
        (803, "Số nhân khẩu", "bốn"),
        (804, "Số nhân khẩu", "bốn"),
        (805, "Mã hộ", ""),
        (805, "Số nhân khẩu", "bốn"),
    ]


def test_blank_optional_cells_are_none_and_text_is_stripped():
    rows = values((HEADER + "  VG-1 , Lê  Văn A ,  ,,,,\r\n").encode())

    assert rows == [
        {
            "code": "VG-1",
            "head": "Lê  Văn A",
            "members": None,
            "income": None,
            "surveyed": None,
            "smartphone": None,
            "kind": None,
        }
    ]


def test_a_parser_raising_value_error_is_reported_with_its_message():
    def parse_even(value):
        if int(value) % 2:
            raise ValueError("Enter an even number.")
        return int(value)

    columns = [tabular.Column("n", "Số", parse_even)]

    assert read(b"So\n2\n3\n", columns) == [
        tabular.ValidRow(2, {"n": 2}),
        tabular.RowError(3, "Số", "3", "Enter an even number."),
    ]


def test_a_column_refuses_a_parser_factory_that_was_not_called():
    with pytest.raises(TypeError, match="call parse_text"):
        tabular.Column("name", "Tên", tabular.parse_text)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1.234.567,5", "1234567.5"),
        ("1,234,567.5", "1234567.5"),
        ("1234567.5", "1234567.5"),
        ("1234567,5", "1234567.5"),
        ("1.234.567", "1234567"),
        ("1,234,567", "1234567"),
        ("1.234", "1234"),
        ("1,234", "1234"),
        ("0,125", "0.125"),
        ("0.125", "0.125"),
        ("1234.567", "1234.567"),
        ("1.2340", "1.234"),
        ("1,5", "1.5"),
        (",5", "0.5"),
        ("-1.234,5", "-1234.5"),
        ("+12", "12"),
        ("007", "7"),
    ],
)
def test_parse_decimal_reads_vietnamese_and_english_notation(text, number):
    assert tabular.parse_decimal(text) == Decimal(number)


@pytest.mark.parametrize(
    "text", ["1.2.3", "12.34.567", "1.234,567.8", "1,2,3", "1 234", "1e5", "NaN", "abc", "-", ".", "5.", "١٢"]
)
def test_parse_decimal_refuses_malformed_numbers(text):
    with pytest.raises(ValidationError):
        tabular.parse_decimal(text)


def test_parse_decimal_and_parse_int_take_xlsx_number_cells():
    assert tabular.parse_decimal(1.234) == Decimal("1.234")
    assert tabular.parse_decimal(7) == Decimal(7)
    assert tabular.parse_int(12.0) == 12
    assert tabular.parse_int("1.234") == 1234
    with pytest.raises(ValidationError):
        tabular.parse_int("1,5")
    with pytest.raises(ValidationError):
        tabular.parse_int(True)


@given(
    st.decimals(allow_nan=False, allow_infinity=False) | st.decimals(places=3, allow_nan=False, allow_infinity=False)
)
def test_a_decimal_written_to_csv_reads_back_equal(number):
    text = tabular._csv_text(number)

    assert tabular.parse_decimal(text) == number


@pytest.mark.parametrize("text", ["05/03/2025", "5/3/2025", "05-03-2025", "05.03.2025", "2025-03-05"])
def test_parse_date_reads_day_first_and_iso_dates(text):
    assert tabular.parse_date(text) == datetime.date(2025, 3, 5)


def test_parse_date_takes_xlsx_date_cells():
    assert tabular.parse_date(datetime.datetime(2025, 3, 5, 0, 0)) == datetime.date(2025, 3, 5)
    assert tabular.parse_date(datetime.date(2025, 3, 5)) == datetime.date(2025, 3, 5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2025", "31/02/2025 is not a real date."),
        ("29/02/2025", "29/02/2025 is not a real date."),
        ("05/03/25", "Enter a date as dd/mm/yyyy, for example 05/03/2025."),
        ("March 5", "Enter a date as dd/mm/yyyy, for example 05/03/2025."),
        ("2025/03/05", "Enter a date as dd/mm/yyyy, for example 05/03/2025."),
    ],
)
def test_parse_date_refuses_impossible_or_unclear_dates(text, message):
    with pytest.raises(ValidationError) as caught:
        tabular.parse_date(text)

    assert caught.value.messages == [message]


@given(st.dates(min_value=datetime.date(1000, 1, 1)))
def test_any_date_reads_back_from_both_written_forms(day):
    assert tabular.parse_date(f"{day:%d/%m/%Y}") == day
    assert tabular.parse_date(day.isoformat()) == day


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("có", True),
        ("CÓ", True),
        ("co", True),
        ("x", True),
        ("1", True),
        ("Yes", True),
        ("đúng", True),
        ("DUNG", True),
        ("không", False),
        ("Khong", False),
        ("0", False),
        ("no", False),
        ("sai", False),
        ("ko", False),
    ],
)
def test_parse_bool_reads_vietnamese_and_english_answers(text, answer):
    assert tabular.parse_bool(text) is answer


def test_parse_choice_matches_labels_and_codes_without_accents():
    parse = tabular.parse_choice({"Hộ nghèo": "poor", "poor": "poor", "1": "poor", "Khác": "other"})

    assert [parse(v) for v in ["Hộ nghèo", "HO NGHEO", "hộ  nghèo", "poor", 1, "khac"]] == ["poor"] * 5 + ["other"]


# Writing ----------------------------------------------------------------------------------------

MIXED = [
    {
        "code": "VG-0001",
        "head": "Nguyễn Văn Đồng",
        "members": 4,
        "income": Decimal("1.234"),
        "surveyed": datetime.date(2025, 3, 5),
        "smartphone": True,
        "kind": "poor",
    },
    {
        "code": "+84-1",
        "head": '=HYPERLINK("http://x", "-Lê, ""Tèo""; @Bình")',
        "members": 0,
        "income": Decimal("-1234567.5"),
        "surveyed": datetime.date(1999, 12, 31),
        "smartphone": False,
        "kind": "other",
    },
    {
        "code": "0012",
        "head": "Trần Thị\nHai dòng",
        "members": None,
        "income": Decimal("0.125"),
        "surveyed": None,
        "smartphone": None,
        "kind": None,
    },
]


def test_a_csv_export_imports_back_to_the_same_values():
    out = io.StringIO()
    tabular.write_csv(COLUMNS, MIXED, out)
    data = out.getvalue().encode("utf-8")

    assert data.startswith(b"\xef\xbb\xbfM\xc3\xa3 h\xe1\xbb\x99,")  # BOM, then "Mã hộ"
    assert values(data) == MIXED


def test_a_csv_export_writes_dates_numbers_and_answers_as_a_person_reads_them():
    out = io.StringIO()
    tabular.write_csv(COLUMNS, MIXED[:2], out)

    rows = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))

    assert rows[1] == ["VG-0001", "Nguyễn Văn Đồng", "4", "1.2340", "05/03/2025", "có", "Hộ nghèo"]
    assert rows[2][:2] == ["'+84-1", "'" + MIXED[1]["head"]]  # never run as formulas


def test_an_xlsx_export_imports_back_to_the_same_values():
    out = io.BytesIO()
    tabular.write_xlsx(COLUMNS, MIXED, out)

    assert values(out.getvalue()) == MIXED


def test_an_xlsx_export_has_a_bold_header_real_dates_and_no_formulas():
    out = io.BytesIO()
    tabular.write_xlsx(COLUMNS, MIXED, out)

    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet["A1"].value == "Mã hộ"
    assert sheet["A1"].font.b
    assert sheet["E2"].value == datetime.datetime(2025, 3, 5)
    assert sheet["E2"].number_format == "DD/MM/YYYY"
    assert sheet["D2"].value == 1.234
    assert sheet["B3"].value == MIXED[1]["head"]
    assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_reads_back_as_one_valid_example_row(fmt):
    rows = values(tabular.template(COLUMNS, fmt))

    assert rows == [
        {
            "code": "VG-0001",
            "head": "Nguyễn Văn Đồng",
            "members": 4,
            "income": Decimal("1234567.5"),
            "surveyed": datetime.date(2025, 3, 5),
            "smartphone": True,
            "kind": "poor",
        }
    ]


def test_the_xlsx_template_explains_each_column_on_a_second_sheet():
    book = load_workbook(io.BytesIO(tabular.template(COLUMNS, "xlsx")))

    assert book.sheetnames == ["Dữ liệu", "Hướng dẫn"]
    notes = list(book["Hướng dẫn"].iter_rows(values_only=True))
    assert notes[0] == ("Cột", "Bắt buộc", "Ví dụ", "Ghi chú")
    assert notes[1] == ("Mã hộ", "có", "VG-0001", None)
    assert notes[7] == ("Phân loại", "không", "Hộ nghèo", "Hộ nghèo, Hộ cận nghèo hoặc Khác")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_error_report_reads_back_with_its_vietnamese_headers(fmt):
    errors = [
        tabular.RowError(2, "Thu nhập", "12abc", "Enter a number."),
        tabular.RowError(7, "Mã hộ", "=1+1", "This column is required."),
    ]

    report = tabular.error_report(errors, fmt)

    reader = tabular.open_rows(io.BytesIO(report), tabular.ERROR_REPORT_COLUMNS)
    assert [column.header for column in reader.columns] == ["Dòng", "Cột", "Giá trị", "Lý do"]
    assert [item.values for item in tabular.validate_rows(reader)] == [e._asdict() for e in errors]


def test_an_unknown_format_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown format"):
        tabular.template(COLUMNS, "ods")


# Size, progress, memory -------------------------------------------------------------------------


def test_check_size_refuses_a_file_over_the_limit():
    tabular.check_size(io.BytesIO(bytes(1000)), 1000)

    with pytest.raises(tabular.FileError) as caught:
        tabular.check_size(io.BytesIO(bytes(1001)), 1000)

    assert caught.value.messages == ["The file is larger than 0.000953674 MB."]
    upload = SimpleNamespace(size=5 * 2**20 + 1)  # Django's UploadedFile knows its size
    with pytest.raises(tabular.FileError, match="larger than 5 MB"):
        tabular.check_size(upload, 5 * 2**20)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_progress_runs_from_zero_to_one(fmt):
    rows = [{"code": f"VG-{n}", "head": "Nguyễn Văn Đồng"} for n in range(5000)]
    out = io.StringIO() if fmt == "csv" else io.BytesIO()
    (tabular.write_csv if fmt == "csv" else tabular.write_xlsx)(COLUMNS, rows, out)
    data = out.getvalue().encode() if fmt == "csv" else out.getvalue()
    reader = tabular.open_rows(io.BytesIO(data), COLUMNS)

    seen = [reader.progress for number, _row in reader if number % 1000 == 0]

    assert seen == sorted(seen)
    assert 0 < seen[0] < 0.5
    assert reader.progress == 1.0


def test_a_100000_row_csv_is_read_in_far_less_memory_than_the_file():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "households.csv")
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            f.write(HEADER)
            line = "VG-{n},Nguyễn Văn Đồng {n},{m},{n}.5,05/03/2025,có,Hộ cận nghèo\r\n"
            f.writelines(line.format(n=n, m=n % 9) for n in range(100_000))
        size = os.path.getsize(path)

        tracemalloc.start()
        try:
            with open(path, "rb") as f:
                items = tabular.validate_rows(tabular.open_rows(f, COLUMNS))
                good = sum(isinstance(item, tabular.ValidRow) for item in items)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert good == 100_000
    assert size > 7_000_000
    assert peak < size / 10
