"""Spreadsheets in and out: stream a CSV or XLSX file into validated rows, and write rows back.

The registries describe their files as a list of `Column`s; this module knows nothing of households.
A file is read one row at a time, so a 100,000-row import holds one row in memory, not the file:

    reader = tabular.open_rows(upload, COLUMNS)   # FileError: not a spreadsheet, bad headers
    for item in tabular.validate_rows(reader):     # ValidRow(row, values), or a RowError per bad cell
        ...

Rules a person can rely on:

- The format comes from the content, not the file name: a zip holding `xl/workbook.xml` is XLSX,
  other text is CSV (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1258), turned into
  NFC so that "Đồng" typed with combining tone marks equals "Đồng" typed precomposed. The CSV
  delimiter (, ; or tab) is the one the header line uses most. Only a workbook's first sheet is read.
- The header is the first non-empty row. A header matches a column by its text or its key, ignoring
  case, accents and "_" ("MA HO", "ma_ho" and "Mã hộ" are one column). Unknown, duplicate and
  missing required headers are all reported at once, before any row is read. A column with an
  empty header is ignored, like a note beside the table. Fully empty rows are skipped.
- Row numbers are the ones a spreadsheet shows: the header is row 1 when it is on the first line.
- Numbers accept "1.234.567,5", "1,234,567.5" and "1234567.5". When both "." and "," appear, the
  last one is the decimal mark. With one kind only: used more than once, it groups thousands; used
  once, it groups thousands when exactly three digits follow it and one to three digits, not
  starting with 0, come before it ("1.234" and "1,234" are 1234; "0,125", "1234.567" and "1,5" are
  fractions). Spaces and exponents are refused.
- Dates accept "05/03/2025" (5 March), "5-3-2025", "2025-03-05" and real date cells.
- Exports read back to the same values. CSV: dates as dd/mm/yyyy, numbers with "." as decimal mark
  and no grouping (a fraction of exactly three digits gets a trailing 0, "1.2340", so that it is
  not read as grouping), yes/no as "có"/"không". XLSX keeps real numbers and dates.
- Text a spreadsheet would run as a formula (= + - @ …) goes to CSV behind an apostrophe, which
  `parse_text` removes again; in XLSX it is a text cell. An exported file never runs anything.
- XLSX is read by python-calamine, which cannot stream: it loads the whole sheet (about 1.5x the
  uncompressed sheet XML, ~150 MB for 100k x 20 cells). Larger sheets (`XLSX_IN_MEMORY_LIMIT`) are
  read by openpyxl's read-only mode instead, in constant memory but about 15x slower; the limit also
  keeps a small zip that unpacks to gigabytes out of memory.
"""

import codecs
import contextlib
import csv
import io
import itertools
import re
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import IO, Any, Literal, NamedTuple

import python_calamine
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from smartcommune.core.text import fold

XLSX_IN_MEMORY_LIMIT = 128 * 2**20  # bytes of uncompressed sheet XML that calamine may load
_CHUNK = 64 * 1024
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEXT_BYTES = bytes([9, 10, 12, 13, *range(0x20, 0x100)])
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx saved with a password

NOT_A_SPREADSHEET = _("This file is not a spreadsheet (.xlsx or .csv).")
REQUIRED = _("This column is required.")


class FileError(ValidationError):
    """The file as a whole cannot be imported; `.messages` lists every problem found."""

    def __init__(self, messages: Iterable[Any]):
        super().__init__(list(messages))


class RowError(NamedTuple):
    """One bad cell: the row number a person sees, the column header, what was there and why."""

    row: int
    column: str
    value: str
    reason: str


class ValidRow(NamedTuple):
    """A row whose cells all parsed: the columns present in the file, blank cells as None."""

    row: int
    values: dict[str, Any]


def _invalid(message: Any, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _file_error(message: Any, code: str, **params: Any) -> FileError:
    return FileError([_invalid(message, code, **params)])


def cell_text(value: Any) -> str:
    """A cell as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}" if value.time() == datetime.min.time() else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Parsers take one non-empty cell (text already stripped, or a number or date from an XLSX cell) and
# return the value or raise ValidationError. Good input never raises, which keeps imports fast. The
# result depends on the cell alone: validate_rows reuses it for the same text further down the file.


def parse_text(max_length: int | None = None) -> Callable[[Any], str]:
    """Text up to `max_length` characters; a number or date typed in XLSX comes back as its text."""

    limit = sys.maxsize if max_length is None else max_length

    def parse(value: Any) -> str:
        if value.__class__ is str and len(value) <= limit and value[:1] != "'":
            return value  # the usual case, in as few steps as possible
        text = cell_text(value)
        if text[:1] == "'" and text[1:2] in _FORMULA_START:
            text = text[1:]  # the apostrophe write_csv puts before formula-like text
        if len(text) > limit:
            message = _("Use at most %(limit)s characters (this has %(length)s).")
            raise _invalid(message, "max_length", limit=max_length, length=len(text))
        return text

    return parse


# Numbers whose reading needs no rule: digits, with one decimal mark not followed by exactly three
# digits, or after a whole part of 0 or of four digits or more.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+|[0-9]*[.,](?:[0-9]{1,2}|[0-9]{4,})|(?:0|[0-9]{4,})[.,][0-9]+)")
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[1-9][0-9]{0,2}(?:,[0-9]{3})+")


def _decimal_mark(body: str) -> str:
    """The decimal mark of `body`, "." or ",", or "" for a whole number (rule in the module docstring)."""
    dot, comma = body.rfind("."), body.rfind(",")
    if dot >= 0 and comma >= 0:
        return body[max(dot, comma)]
    separator = "." if dot >= 0 else "," if comma >= 0 else ""
    if not separator:
        return ""
    head, _sep, tail = body.partition(separator)
    if body.count(separator) > 1 or (len(tail) == 3 and 1 <= len(head) <= 3 and head[0] != "0"):
        return ""  # thousands grouping
    return separator


def _number(text: str) -> Decimal | None:
    sign, body = (text[0], text[1:]) if text[:1] in ("-", "+") else ("", text)
    if not body or not body.isascii():
        return None
    mark = _decimal_mark(body)
    whole, _mark, fraction = body.partition(mark) if mark else (body, "", "")
    if mark and not fraction.isdigit():  # also refuses a second decimal mark
        return None
    if not whole.isdigit():
        if whole and _GROUPED.fullmatch(whole) is None:
            return None
        whole = whole.replace(".", "").replace(",", "") or "0"  # ",5" is 0.5
    return Decimal(sign + whole + "." + fraction if fraction else sign + whole)


def parse_decimal(value: Any) -> Decimal:
    """A number in Vietnamese or English notation, or a number cell."""
    if value.__class__ is str:
        if _PLAIN_NUMBER.fullmatch(value):
            return Decimal(value.replace(",", "."))
        number = _number(value)
        if number is not None:
            return number
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    raise _invalid(_("Enter a number, for example 1.234.567,5 or 1234567.5."), "invalid_number")


def parse_int(value: Any) -> int:
    """A whole number; thousands may be grouped ("1.234")."""
    if value.__class__ is str:
        if value.isascii() and value.isdigit():
            return int(value)
        number = _number(value)
        if number is not None and number == number.to_integral_value():
            return int(number)
    elif isinstance(value, int) and not isinstance(value, bool):
        return value
    elif isinstance(value, float) and value.is_integer():
        return int(value)
    raise _invalid(_("Enter a whole number."), "invalid_int")


_DAY_FIRST = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})(?:[ T][0-9:.]+)?")
_YEAR_FIRST = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T][0-9:.]+)?")
_DATE_FORMAT = _("Enter a date as dd/mm/yyyy, for example 05/03/2025.")


def parse_date(value: Any) -> date:
    """A date written day first (05/03/2025 is 5 March) or as 2025-03-05, or a date cell."""
    if value.__class__ is str:
        if len(value) == 10 and value[2] == "/" == value[5]:  # the usual case, without regex
            try:
                return date.fromisoformat(value[6:] + "-" + value[3:5] + "-" + value[:2])
            except ValueError:
                pass  # the checks below say what is wrong
        elif len(value) == 10 and value[4] == "-" == value[7]:
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        if match := _DAY_FIRST.fullmatch(value):
            day, month, year = match.groups()
        elif match := _YEAR_FIRST.fullmatch(value):
            year, month, day = match.groups()
        else:
            raise _invalid(_DATE_FORMAT, "invalid_date")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise _invalid(_("%(value)s is not a real date."), "invalid_date", value=value) from None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise _invalid(_DATE_FORMAT, "invalid_date")


def _folded_lookup(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Keys as written and folded: common spellings skip fold(), the others still match."""
    return {**{fold(key): value for key, value in mapping.items()}, **mapping}


_BOOLEANS = _folded_lookup(
    dict.fromkeys(["có", "Có", "CÓ", "x", "X", "1", "yes", "y", "true", "đúng", "Đúng"], True)
    | dict.fromkeys(["không", "Không", "KHÔNG", "ko", "0", "no", "n", "false", "sai", "Sai"], False)
)


def parse_bool(value: Any) -> bool:
    """Yes or no: có/không, x, 1/0, yes/no, đúng/sai, true/false, in any case, accents or not."""
    if isinstance(value, str):
        answer = _BOOLEANS.get(value)
        if answer is None:
            answer = _BOOLEANS.get(fold(value))
        if answer is not None:
            return answer
    elif isinstance(value, bool):
        return value
    elif isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    raise _invalid(_("Enter có or không (yes or no)."), "invalid_bool")


def parse_choice(mapping: Mapping[str, Any]) -> Callable[[Any], Any]:
    """One of the labels or codes in `mapping` (label or code -> stored value), matched folded."""
    lookup = _folded_lookup(mapping)
    shown = ", ".join(list(mapping)[:12])

    def parse(value: Any) -> Any:
        text = cell_text(value)
        if text in lookup:
            return lookup[text]
        folded = fold(text)
        if folded in lookup:
            return lookup[folded]
        raise _invalid(_("Choose one of: %(choices)s."), "invalid_choice", choices=shown)

    return parse


def bounded(parse: Callable[[Any], Any], *, min_value: Any = None, max_value: Any = None) -> Callable:
    """`parse`, then a range check: `bounded(parse_int, min_value=0)` for a count of people."""

    def parse_in_range(value: Any) -> Any:
        result = parse(value)
        if min_value is not None and result < min_value:
            raise _invalid(_("Enter at least %(limit)s."), "min_value", limit=min_value)
        if max_value is not None and result > max_value:
            raise _invalid(_("Enter at most %(limit)s."), "max_value", limit=max_value)
        return result

    return parse_in_range


# Formatters turn a stored value into a cell value (text, int, Decimal, date or None); write_csv and
# write_xlsx render that so that the parsers above read it back.


def format_value(value: Any) -> Any:
    """The default: values as they are, yes/no as "có"/"không"."""
    if isinstance(value, bool):
        return "có" if value else "không"
    return value


def format_choice(labels: Mapping[Any, str]) -> Callable[[Any], Any]:
    """Stored value -> label, for a `parse_choice` column: `format_choice(dict(Kind.choices))`."""
    return lambda value: labels.get(value, value)


_TEXT = parse_text()


@dataclass(frozen=True)
class Column:
    """One column of a file: `header` is the Vietnamese text in the file, `key` the field it fills."""

    key: str
    header: str
    parse: Callable[[Any], Any] = _TEXT
    required: bool = False
    example: str = ""
    help: str = ""
    format: Callable[[Any], Any] = format_value

    def __post_init__(self):
        if self.parse in (parse_text, parse_choice, bounded):  # the factory itself, not its parser
            raise TypeError(f"Column {self.key!r}: call {self.parse.__name__}(...) to make the parser.")


# Reading ----------------------------------------------------------------------------------------


def check_size(fileobj: IO[bytes], max_bytes: int) -> None:
    """Refuse a file above `max_bytes` before reading it."""
    size = getattr(fileobj, "size", None)
    if size is None:
        size = fileobj.seek(0, io.SEEK_END)
        fileobj.seek(0)
    if size > max_bytes:
        limit = f"{max_bytes / 2**20:g}"
        raise _file_error(_("The file is larger than %(limit)s MB."), "too_large", limit=limit)


@dataclass
class _Source:
    rows: Iterator[tuple[int, list[Any]]]  # (row number, cells), blank rows included
    progress: Callable[[], float]
    column_offset: int = 0  # calamine drops empty columns left of the data


class RowReader:
    """The rows of one file as `(row_number, {key: raw cell})`, blank rows skipped; iterate once.

    `columns` are the columns found in the file, in file order. `progress` (0.0 to 1.0) may be read
    while iterating, to tell the person how far the import has got.
    """

    def __init__(self, source: _Source, columns: Iterable[Column]):
        self._source = source
        try:
            self.header_row, positions = self._read_header(list(columns))
        except FileError:
            source.rows.close()  # release the file now, not whenever the garbage collector runs
            raise
        self.columns = tuple(column for _position, column in positions)
        indexes = [position for position, _column in positions]
        self._width = max(indexes) + 1
        self._pick = itemgetter(*indexes) if len(indexes) > 1 else lambda cells: (cells[indexes[0]],)

    @property
    def progress(self) -> float:
        return min(1.0, self._source.progress())

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        keys = tuple(column.key for column in self.columns)
        for number, cells in self._cells():
            yield number, dict(zip(keys, cells, strict=True))

    def _cells(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """Each non-blank row's cells in the order of `columns`."""
        pick, width = self._pick, self._width
        for number, cells in self._source.rows:
            if _blank(cells):
                continue
            if len(cells) < width:
                cells = [*cells, *[""] * (width - len(cells))]
            yield number, pick(cells)

    def _read_header(self, columns: list[Column]) -> tuple[int, list[tuple[int, Column]]]:
        number, cells = next(((n, cells) for n, cells in self._source.rows if not _blank(cells)), (0, []))
        if not cells:
            raise _file_error(_("The file is empty."), "empty")
        lookup = {_header_key(c.key): c for c in columns} | {_header_key(c.header): c for c in columns}
        problems, found = [], {}
        for position, cell in enumerate(cells):
            text = cell_text(cell).strip()
            letter = get_column_letter(position + 1 + self._source.column_offset)
            column = lookup.get(_header_key(text))
            if column:
                found.setdefault(column.key, []).append((position, column, letter))
            elif text:
                message = _("Unknown column “%(header)s” (column %(letter)s).")
                problems.append(_invalid(message, "unknown_column", header=text, letter=letter))
        for places in found.values():
            if len(places) > 1:
                message = _("The column “%(header)s” appears more than once (columns %(letters)s).")
                letters = ", ".join(letter for _position, _column, letter in places)
                problems.append(_invalid(message, "duplicate_column", header=places[0][1].header, letters=letters))
        for column in columns:
            if column.required and column.key not in found:
                message = _("The required column “%(header)s” is missing.")
                problems.append(_invalid(message, "missing_column", header=column.header))
        if problems:
            raise FileError(problems)
        return number, sorted((places[0][0], places[0][1]) for places in found.values())


def _header_key(text: str) -> str:
    return fold(text.replace("_", " "))


def _blank(cells: list[Any]) -> bool:
    for cell in cells:  # noqa: SIM110 — a plain loop; all() with a generator is slower on the hot path
        if cell.__class__ is not str or cell.strip():
            return False
    return True


def open_rows(fileobj: IO[bytes], columns: Iterable[Column]) -> RowReader:
    """Open an uploaded CSV or XLSX file (binary, seekable) and check its header row.

    Raises FileError when it is not a spreadsheet or its headers do not fit `columns`.
    """
    total = fileobj.seek(0, io.SEEK_END)
    fileobj.seek(0)
    head = fileobj.read(_CHUNK)
    fileobj.seek(0)
    if not head:
        raise _file_error(_("The file is empty."), "empty")
    if head.startswith(b"PK\x03\x04"):
        source = _xlsx_source(fileobj, total)
    elif head.startswith(_OLE2_MAGIC):
        message = _("This is an old .xls or a password-protected workbook: save it as .xlsx or .csv.")
        raise _file_error(message, "old_excel")
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        source = _csv_source(fileobj, total, "utf-16")
    elif head.startswith(_BINARY_MAGIC) or b"\x00" in head or _controls(head) > len(head) // 100:
        raise _file_error(NOT_A_SPREADSHEET, "not_a_spreadsheet")
    else:
        source = _csv_source(fileobj, total, _utf8_or_cp1258(fileobj))
    return RowReader(source, columns)


def _controls(head: bytes) -> int:
    """Control characters that text never has (tab, newlines and form feed are text)."""
    return len(head.translate(None, delete=_TEXT_BYTES))


def _utf8_or_cp1258(fileobj: IO[bytes]) -> str:
    """UTF-8 when the whole file decodes as UTF-8 (read chunk by chunk), else Windows-1258."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := fileobj.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "cp1258"
    finally:
        fileobj.seek(0)


def _csv_source(fileobj: IO[bytes], total: int, encoding: str) -> _Source:
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
    lines = map(unicodedata.normalize, itertools.repeat("NFC"), text)  # cp1258 decodes to NFD
    return _Source(_csv_rows(text, lines), lambda: fileobj.tell() / max(total, 1))


def _csv_rows(text: io.TextIOWrapper, lines: Iterator[str]) -> Iterator[tuple[int, list[str]]]:
    try:
        seen = []
        for line in lines:  # up to the first non-blank line, which decides the delimiter
            seen.append(line)
            if line.strip():
                break
        header = seen[-1] if seen else ""
        delimiter = max([",", ";", "\t"], key=header.count)
        yield from enumerate(csv.reader(itertools.chain(seen, lines), delimiter=delimiter), start=1)
    except UnicodeDecodeError:
        message = _("The text of this file is in an unknown encoding: save it as “CSV UTF-8”.")
        raise _file_error(message, "encoding") from None
    except csv.Error as error:
        raise _file_error(_("The CSV file is damaged: %(reason)s."), "bad_csv", reason=error) from None
    finally:
        with contextlib.suppress(ValueError):  # the caller may have closed the file already
            text.detach()  # leaves the caller's file open


def _xlsx_source(fileobj: IO[bytes], total: int) -> _Source:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise _file_error(NOT_A_SPREADSHEET, "not_a_spreadsheet") from None
    finally:
        fileobj.seek(0)
    if "xl/workbook.xml" not in {member.filename for member in members}:  # .docx, .ods, any zip
        raise _file_error(NOT_A_SPREADSHEET, "not_a_spreadsheet")
    xml_size = sum(
        member.file_size
        for member in members
        if member.filename.startswith("xl/worksheets/") or member.filename == "xl/sharedStrings.xml"
    )
    if xml_size <= XLSX_IN_MEMORY_LIMIT:
        return _calamine_source(fileobj)
    return _openpyxl_source(fileobj, total)


_DAMAGED_XLSX = _("The .xlsx file could not be read; it may be damaged. Save it again from Excel.")


def _calamine_source(fileobj: IO[bytes]) -> _Source:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(fileobj)
        sheet = book.get_sheet_by_index(0)
    except python_calamine.CalamineError:
        raise _file_error(_DAMAGED_XLSX, "bad_xlsx") from None
    height = sheet.end[0] + 1 if sheet.end else 1
    done = 0

    def rows():
        nonlocal done
        normalize = unicodedata.normalize
        try:
            for done, cells in enumerate(sheet.iter_rows(), start=1):  # from row 1, even when blank
                yield done, [normalize("NFC", cell) if cell.__class__ is str else cell for cell in cells]
        finally:
            book.close()

    return _Source(rows(), lambda: done / height, sheet.start[1] if sheet.start else 0)


def _openpyxl_source(fileobj: IO[bytes], total: int) -> _Source:
    try:
        book = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:  # KeyError, ValueError or an XML error, whichever part is damaged
        raise _file_error(_DAMAGED_XLSX, "bad_xlsx") from None

    def rows():
        normalize = unicodedata.normalize
        try:
            for number, cells in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
                yield (
                    number,
                    [
                        "" if cell is None else normalize("NFC", cell) if cell.__class__ is str else cell
                        for cell in cells
                    ],
                )
        finally:
            book.close()

    return _Source(rows(), lambda: fileobj.tell() / max(total, 1))


def validate_rows(reader: RowReader) -> Iterator[ValidRow | RowError]:
    """Parse every cell of every row: a ValidRow for a good row, a RowError for each bad cell.

    Most columns hold a handful of different texts (yes/no, counts, village codes), so each column
    remembers what its first texts parsed to and looks a repeated text up instead of parsing it
    again. Only good results are remembered, and at most `_MEMO_SIZE` of them a column, so memory
    stays the same whatever the length of the file.
    """
    columns = reader.columns
    keys = tuple(column.key for column in columns)
    memos = tuple({} if column.required else {"": None} for column in columns)
    for number, cells in reader._cells():  # the loop every import runs 100,000 times: keep it lean
        try:
            parsed = [memo.get(cell, _UNSEEN) for memo, cell in zip(memos, cells, strict=True)]
        except TypeError:  # a cell that cannot be looked up (a list sent through the API)
            parsed = [_UNSEEN] * len(cells)
        if _UNSEEN in parsed:
            errors = []
            for position, value in enumerate(parsed):
                if value is _UNSEEN:
                    parsed[position] = _parse_cell(columns[position], memos[position], number, cells[position], errors)
            if errors:
                yield from errors
                continue
        yield ValidRow(number, dict(zip(keys, parsed, strict=True)))


class _Unseen:
    """Marks a cell that its column's memo does not hold; equal to nothing else."""

    __slots__ = ()


_UNSEEN = _Unseen()
_MEMO_SIZE = 256


def _parse_cell(column: Column, memo: dict[str, Any], number: int, cell: Any, errors: list[RowError]) -> Any:
    """One cell's value (blank as None), or None and a RowError added to `errors`."""
    value = cell.strip() if cell.__class__ is str else cell
    if value.__class__ is str and not value:
        if column.required:
            errors.append(RowError(number, column.header, "", str(REQUIRED)))
            return None
        result = None
    else:
        try:
            result = column.parse(value)
        except ValidationError as error:
            errors.append(RowError(number, column.header, cell_text(value), " ".join(error.messages)))
            return None
        except ValueError as error:
            errors.append(RowError(number, column.header, cell_text(value), str(error)))
            return None
    if cell.__class__ is str and len(memo) < _MEMO_SIZE:
        memo[cell] = result
    return result


# Writing ----------------------------------------------------------------------------------------


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    if isinstance(value, bool):
        return format_value(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        text = format(Decimal(repr(value)) if isinstance(value, float) else value, "f")
        whole, _mark, fraction = text.partition(".")
        return text + "0" if len(fraction) == 3 and whole.lstrip("-") != "0" else text
    return _csv_text(cell_text(value))


def write_csv(columns: Iterable[Column], rows: Iterable[Mapping[str, Any]], out: IO[str]) -> None:
    """Rows as CSV with a BOM, so that Excel shows Vietnamese, "," between cells.

    `out` is a text stream: a file opened with encoding="utf-8" and newline="", a StringIO or an
    HttpResponse.
    """
    columns = list(columns)
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([column.header for column in columns])
    formats = [(column.key, column.format) for column in columns]
    for row in rows:
        writer.writerow([_csv_text(fmt(row.get(key))) for key, fmt in formats])


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, bool):
        return format_value(value)
    if value is None or isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY HH:MM" if isinstance(value, datetime) else "DD/MM/YYYY"
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if not text.startswith("="):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # text, never a formula
    return cell


def _add_sheet(book: Workbook, title: str, columns: list[Column], rows: Iterable[Mapping[str, Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    header = []
    for position, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = min(40, max(12, len(column.header) + 4))
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    formats = [(column.key, column.format) for column in columns]
    for row in rows:
        sheet.append([_xlsx_cell(sheet, fmt(row.get(key))) for key, fmt in formats])


def write_xlsx(columns: Iterable[Column], rows: Iterable[Mapping[str, Any]], out: IO[bytes]) -> None:
    """Rows as an XLSX workbook, written row by row (openpyxl write-only), with a bold frozen header."""
    book = Workbook(write_only=True)
    _add_sheet(book, "Dữ liệu", list(columns), rows)
    book.save(out)


Format = Literal["csv", "xlsx"]
_HELP_COLUMNS = [
    Column("header", "Cột"),
    Column("required", "Bắt buộc"),
    Column("example", "Ví dụ"),
    Column("help", "Ghi chú"),
]
ERROR_REPORT_COLUMNS = (
    Column("row", "Dòng", parse_int, required=True),
    Column("column", "Cột"),
    Column("value", "Giá trị"),
    Column("reason", "Lý do"),
)


def _to_bytes(
    columns: list[Column], rows: Iterable[Mapping[str, Any]], fmt: Format, help_rows: list[dict] | None = None
) -> bytes:
    if fmt == "csv":
        out = io.StringIO()
        write_csv(columns, rows, out)
        return out.getvalue().encode("utf-8")
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        _add_sheet(book, "Dữ liệu", columns, rows)
        if help_rows:
            _add_sheet(book, "Hướng dẫn", _HELP_COLUMNS, help_rows)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    raise ValueError(f"Unknown format {fmt!r}: use 'csv' or 'xlsx'.")


def template(columns: Iterable[Column], fmt: Format) -> bytes:
    """The file to download and fill in: headers and one example row, plus a help sheet in XLSX."""
    columns = list(columns)
    example = {column.key: column.parse(column.example) if column.example else None for column in columns}
    help_rows = [
        {"header": c.header, "required": c.required, "example": c.example, "help": str(c.help) or None} for c in columns
    ]
    return _to_bytes(columns, [example], fmt, help_rows)


def error_report(errors: Iterable[RowError], fmt: Format) -> bytes:
    """The bad cells, to open beside the person's own file: Dòng, Cột, Giá trị, Lý do."""
    return _to_bytes(list(ERROR_REPORT_COLUMNS), (error._asdict() for error in errors), fmt)
