"""Identifiers: the one place where personal IDs, tax codes, phones, GTINs and codes are checked.

Forms, file imports and the API all call these functions, so a value is stored in the same form
whichever way it came in. Each `normalize_*` returns the canonical string or raises ValidationError
with a translated message and a `code`. Lists that change (phone prefixes, bank BINs, province
codes) live in `data/*.json` so an admin can correct them without touching code.
"""

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import ean
from stdnum.exceptions import InvalidChecksum, InvalidComponent
from stdnum.vn import mst

DATA_DIR = Path(__file__).parent / "data"

_DIGITS = re.compile(r"[0-9]*")  # ASCII only: str.isdigit() also accepts superscripts and other scripts
_ALNUM = re.compile(r"[0-9A-Za-z]*")
_SPACES_DOTS = re.compile(r"[\s.]")
_SEPARATORS = re.compile(r"[\s.\-]")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_ADMIN_CODE_WIDTH = {"province": 2, "commune": 5}
_OLDEST_AGE = 120


@cache
def _load(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open(encoding="utf-8") as f:
        return json.load(f)


@cache
def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _this_year() -> int:
    # Not timezone.localdate(): that reads thread-local state, a cost felt on 100,000-row imports.
    return datetime.now(_zone()).year


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _is_digits(value: str) -> bool:
    return _DIGITS.fullmatch(value) is not None


# Reference data -------------------------------------------------------------------------------


def cccd_province_codes() -> dict[str, str]:
    """Birth-registration province codes of the personal ID ("051" -> "Quảng Ngãi"), pre-2025 names."""
    return dict(_load("cccd_province_codes.json")["codes"])


def mobile_prefixes() -> dict[str, str]:
    """Known mobile prefixes and their operator ("091" -> "VinaPhone")."""
    return dict(_mobile_prefixes())


@cache
def _mobile_prefixes() -> dict[str, str]:
    operators = _load("phone_prefixes.json")["mobile"]
    return {prefix: operator for operator, prefixes in operators.items() for prefix in prefixes}


def banks() -> list[dict[str, str]]:
    """Vietnamese banks as dicts with `bin` (6-digit NAPAS BIN), `short_name` and `name`."""
    return [dict(bank) for bank in _load("banks.json")["banks"]]


def bank_by_bin(bin: str | int) -> dict[str, str] | None:
    """The bank with this NAPAS BIN, or None if the BIN is not in the list."""
    bank = _banks_by_bin().get(_text(bin))
    return dict(bank) if bank else None


@cache
def _banks_by_bin() -> dict[str, dict[str, str]]:
    return {bank["bin"]: bank for bank in _load("banks.json")["banks"]}


# Personal ID (CCCD / số định danh cá nhân) ------------------------------------------------------


def normalize_cccd(value: str) -> str:
    """The 12 digits of a personal ID number; spaces and dots are removed."""
    digits = _SPACES_DOTS.sub("", _text(value))
    if not _is_digits(digits):
        raise ValidationError(_("A personal ID number may contain only digits."), code="invalid_characters")
    if len(digits) != 12:
        raise ValidationError(_("A personal ID number has 12 digits."), code="invalid_length")
    province = digits[:3]
    if province not in _load("cccd_province_codes.json")["codes"]:
        raise ValidationError(
            _("%(code)s is not a known province code (the first three digits of a personal ID number)."),
            code="unknown_province",
            params={"code": province},
        )
    # Digit 4 gives century and sex: 0/1 = 1900s, 2/3 = 2000s, 4/5 = 2100s …; digits 5-6 the year.
    birth_year = 1900 + int(digits[3]) // 2 * 100 + int(digits[4:6])
    this_year = _this_year()
    if birth_year > this_year:
        raise ValidationError(
            _("This personal ID number gives a birth year in the future (%(year)s)."),
            code="invalid_birth_year",
            params={"year": birth_year},
        )
    if birth_year < this_year - _OLDEST_AGE:
        raise ValidationError(
            _("This personal ID number gives a birth year more than %(age)s years ago (%(year)s)."),
            code="invalid_birth_year",
            params={"age": _OLDEST_AGE, "year": birth_year},
        )
    return digits


def mask_cccd(value: str) -> str:
    """The personal ID with all but the first and last three digits hidden: "051******789"."""
    digits = _SPACES_DOTS.sub("", _text(value))
    if len(digits) <= 6:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]


# Tax code (mã số thuế) ---------------------------------------------------------------------------


def normalize_tax_code(value: str) -> str:
    """A tax code: "0100233488", branch "0314409058-002", or a 12-digit personal ID number."""
    digits = _SEPARATORS.sub("", _text(value))
    if not _is_digits(digits):
        raise ValidationError(
            _("A tax code may contain only digits, with a hyphen before a branch number."),
            code="invalid_characters",
        )
    if len(digits) == 12:
        # From 07/2025 individuals and household businesses use their personal ID (TT 86/2024, UNCONFIRMED).
        return normalize_cccd(digits)
    if len(digits) not in (10, 13):
        raise ValidationError(
            _(
                "A tax code has 10 digits, 13 for a branch (0314409058-002), "
                "or 12 for a personal ID number; this one has %(count)s."
            ),
            code="invalid_length",
            params={"count": len(digits)},
        )
    try:
        mst.validate(digits)
    except InvalidChecksum:
        raise ValidationError(
            _("The check digit of this tax code is wrong; a digit was probably mistyped."),
            code="invalid_check_digit",
        ) from None
    except InvalidComponent:
        if digits[2:9] == "0000000":
            raise ValidationError(
                _("Digits 3 to 9 of a tax code cannot all be zero."), code="invalid_sequence"
            ) from None
        raise ValidationError(
            _("The branch number of a tax code runs from 001 to 999."), code="invalid_branch"
        ) from None
    return mst.format(digits)


# Phone numbers ---------------------------------------------------------------------------------


def normalize_phone(value: str) -> str:
    """The national form of a Vietnamese phone number: "+84 912 345 678" -> "0912345678"."""
    raw = _PHONE_SEPARATORS.sub("", _text(value))
    if raw.startswith("+"):
        if not raw.startswith("+84"):
            raise ValidationError(_("Only Vietnamese phone numbers (+84) are accepted."), code="foreign_number")
        national = raw[3:]
    elif raw.startswith("0084"):
        national = raw[4:]
    elif raw.startswith("84") and len(raw) in (11, 12):
        # 84 + 9-digit mobile or 10-digit landline; "084…" is a national mobile number instead.
        national = raw[2:]
    else:
        national = raw
    if not _is_digits(national):
        raise ValidationError(
            _("A phone number may contain only digits, spaces, dots, hyphens and a leading +84."),
            code="invalid_characters",
        )
    if national and not national.startswith("0"):
        national = "0" + national  # spreadsheets drop the leading zero
    if len(national) == 10:
        if national[:3] not in _mobile_prefixes():
            raise ValidationError(
                _("%(prefix)s is not a known Vietnamese mobile prefix."),
                code="unknown_prefix",
                params={"prefix": national[:3]},
            )
    elif len(national) == 11 and national.startswith("02"):
        area_codes = _load("phone_prefixes.json")["landline_area_codes"]
        if not any(national[1:].startswith(code) for code in area_codes):
            raise ValidationError(
                _("%(number)s does not start with a known landline area code."),
                code="unknown_area_code",
                params={"number": national},
            )
    else:
        raise ValidationError(
            _("A Vietnamese phone number has 10 digits for a mobile or 11 for a landline, starting with 0."),
            code="invalid_length",
        )
    return national


def phone_e164(value: str) -> str:
    """The international form of a Vietnamese phone number: "0912 345 678" -> "+84912345678"."""
    return "+84" + normalize_phone(value)[1:]


# GTIN (barcode number) -------------------------------------------------------------------------


def gtin_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit for a GTIN without its last digit."""
    body = _text(body)
    if not body or not _is_digits(body):
        raise ValidationError(_("A GTIN may contain only digits."), code="invalid_characters")
    return ean.calc_check_digit(body)


def normalize_gtin(value: str) -> str:
    """A GTIN-8/12/13/14 as 14 digits, left-padded with zeros, after checking its check digit."""
    digits = re.sub(r"\s", "", _text(value))
    if not _is_digits(digits):
        raise ValidationError(_("A GTIN may contain only digits."), code="invalid_characters")
    if len(digits) not in (8, 12, 13, 14):
        raise ValidationError(_("A GTIN has 8, 12, 13 or 14 digits."), code="invalid_length")
    if ean.calc_check_digit(digits[:-1]) != digits[-1]:
        raise ValidationError(
            _("The check digit (last digit) of this GTIN is wrong; a digit was probably mistyped."),
            code="invalid_check_digit",
        )
    return digits.zfill(14)


# Administrative unit codes ---------------------------------------------------------------------


def normalize_admin_code(value: str | int, *, level: Literal["province", "commune"]) -> str:
    """A province (2-digit) or commune (5-digit) code, zero-padded; whether it exists is checked elsewhere."""
    if level not in _ADMIN_CODE_WIDTH:
        raise ValueError(f"level must be 'province' or 'commune', not {level!r}")
    width = _ADMIN_CODE_WIDTH[level]
    # vietnam_provinces' ProvinceCode and WardCode are IntEnums: take the number, not the member name.
    text = str(int(value)) if isinstance(value, int) and not isinstance(value, bool) else _text(value)
    if not text or not _is_digits(text):
        raise ValidationError(_("An administrative unit code may contain only digits."), code="invalid_characters")
    if len(text) > width:
        message = (
            _("A province code has at most 2 digits.")
            if level == "province"
            else _("A commune code has at most 5 digits.")
        )
        raise ValidationError(message, code="invalid_length")
    if int(text) == 0:
        raise ValidationError(_("An administrative unit code cannot be zero."), code="invalid")
    return text.zfill(width)


# Bank account ----------------------------------------------------------------------------------


def normalize_bank_account(value: str) -> str:
    """A bank account number: digits and Latin letters (upper-cased), 6 to 19 characters."""
    text = _SEPARATORS.sub("", _text(value))
    if not _ALNUM.fullmatch(text):
        raise ValidationError(
            _("A bank account number may contain only digits and Latin letters."),
            code="invalid_characters",
        )
    if not 6 <= len(text) <= 19:  # 19 is the VietQR limit
        raise ValidationError(_("A bank account number has 6 to 19 characters."), code="invalid_length")
    return text.upper()


# Validators for form and model fields ----------------------------------------------------------


def validate_cccd(value: str) -> None:
    """Raise ValidationError unless value is a valid personal ID number."""
    normalize_cccd(value)


def validate_tax_code(value: str) -> None:
    """Raise ValidationError unless value is a valid tax code."""
    normalize_tax_code(value)


def validate_phone(value: str) -> None:
    """Raise ValidationError unless value is a valid Vietnamese phone number."""
    normalize_phone(value)


def validate_gtin(value: str) -> None:
    """Raise ValidationError unless value is a valid GTIN."""
    normalize_gtin(value)
