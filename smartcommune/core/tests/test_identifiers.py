"""Identifiers: known good and bad examples, then Hypothesis properties for each kind."""

import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.vn import mst
from vietnam_provinces import ProvinceCode

from smartcommune.core import identifiers

TODAY = datetime.date(identifiers._this_year(), 1, 1)
PROVINCES = sorted(identifiers.cccd_province_codes())
PREFIXES = sorted(identifiers.mobile_prefixes())
AREA_CODES = sorted(
    json.loads((identifiers.DATA_DIR / "phone_prefixes.json").read_text(encoding="utf-8"))["landline_area_codes"]
)
DIGIT = st.sampled_from("0123456789")


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(DIGIT, min_size=n, max_size=n)


def error_code(func, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as exc:
        func(*args, **kwargs)
    return exc.value.code


def message(func, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as exc:
        func(*args, **kwargs)
    return exc.value.messages[0]


# Personal ID (CCCD) ----------------------------------------------------------------------------


def cccd(province: str, year: int, *, female: bool = False, tail: str = "123456") -> str:
    century_digit = (year // 100 - 19) * 2 + female
    return f"{province}{century_digit}{year % 100:02d}{tail}"


@st.composite
def valid_cccds(draw) -> str:
    year = draw(st.integers(TODAY.year - 120, TODAY.year))
    return cccd(draw(st.sampled_from(PROVINCES)), year, female=draw(st.booleans()), tail=draw(digits(6)))


def test_it_accepts_a_personal_id_written_with_spaces_or_dots():
    assert identifiers.normalize_cccd("051 090 123 456") == "051090123456"
    assert identifiers.normalize_cccd("051.090.123.456") == "051090123456"


def test_it_accepts_a_personal_id_of_a_woman_born_in_the_2000s():
    assert identifiers.normalize_cccd("051305123456") == "051305123456"


def test_it_rejects_a_personal_id_that_is_not_12_digits():
    assert error_code(identifiers.normalize_cccd, "05109012345") == "invalid_length"
    assert error_code(identifiers.normalize_cccd, "0510901234567") == "invalid_length"


def test_it_rejects_letters_in_a_personal_id():
    assert error_code(identifiers.normalize_cccd, "05109012345A") == "invalid_characters"


def test_it_rejects_a_personal_id_with_an_unknown_province_and_names_the_prefix():
    assert error_code(identifiers.normalize_cccd, "003090123456") == "unknown_province"
    assert "003" in message(identifiers.normalize_cccd, "003090123456")


def test_it_rejects_a_personal_id_whose_birth_year_is_in_the_future(monkeypatch):
    monkeypatch.setattr(identifiers, "_this_year", lambda: 2025)
    assert identifiers.normalize_cccd(cccd("051", 2025)) == cccd("051", 2025)
    assert error_code(identifiers.normalize_cccd, cccd("051", 2026)) == "invalid_birth_year"
    assert error_code(identifiers.normalize_cccd, "051499123456") == "invalid_birth_year"  # 2199


def test_it_rejects_a_personal_id_whose_birth_year_is_more_than_120_years_ago(monkeypatch):
    monkeypatch.setattr(identifiers, "_this_year", lambda: 2025)
    assert identifiers.normalize_cccd(cccd("051", 1905)) == cccd("051", 1905)
    assert error_code(identifiers.normalize_cccd, cccd("051", 1904)) == "invalid_birth_year"


def test_it_masks_all_but_the_first_and_last_three_digits_of_a_personal_id():
    assert identifiers.mask_cccd("051090123789") == "051******789"
    assert identifiers.mask_cccd("051 090 123 789") == "051******789"
    assert identifiers.mask_cccd("12345") == "*****"
    assert identifiers.mask_cccd("") == ""


def test_the_province_code_list_has_the_63_old_provinces():
    codes = identifiers.cccd_province_codes()
    assert len(codes) == 63
    assert all(re.fullmatch(r"0\d\d", code) and "001" <= code <= "096" for code in codes)
    assert codes["051"] == "Quảng Ngãi"
    assert codes["001"] == "Hà Nội"


@given(valid_cccds())
def test_any_personal_id_with_a_known_province_and_plausible_year_is_accepted(value):
    assert identifiers.normalize_cccd(value) == value
    assert identifiers.normalize_cccd(identifiers.normalize_cccd(value)) == value


@given(digits(3).filter(lambda p: p not in PROVINCES), digits(9))
def test_any_personal_id_with_an_unknown_province_is_rejected(prefix, rest):
    assert error_code(identifiers.normalize_cccd, prefix + rest) == "unknown_province"


# Tax code (MST) --------------------------------------------------------------------------------


def mst_bodies() -> st.SearchStrategy[str]:
    """9-digit bodies that have a single check digit and a non-zero sequence number."""
    return digits(9).filter(lambda b: b[2:] != "0000000" and len(mst.calc_check_digit(b)) == 1)


def test_it_accepts_a_known_good_tax_code():
    assert identifiers.normalize_tax_code("0100233488") == "0100233488"
    assert identifiers.normalize_tax_code(" 0100.233.488 ") == "0100233488"


def test_it_writes_a_branch_tax_code_with_a_hyphen():
    assert identifiers.normalize_tax_code("0314409058-002") == "0314409058-002"
    assert identifiers.normalize_tax_code("0314409058002") == "0314409058-002"
    assert identifiers.normalize_tax_code("0314409058 - 002") == "0314409058-002"


def test_it_rejects_a_tax_code_with_a_wrong_check_digit():
    assert error_code(identifiers.normalize_tax_code, "0100233480") == "invalid_check_digit"
    assert error_code(identifiers.normalize_tax_code, "0314409051-002") == "invalid_check_digit"
    assert "Chữ số kiểm tra" in message(identifiers.normalize_tax_code, "0100233480")


def test_it_rejects_a_tax_code_of_the_wrong_length_with_a_different_message():
    assert error_code(identifiers.normalize_tax_code, "01002334") == "invalid_length"
    assert "mã này có 8 chữ số" in message(identifiers.normalize_tax_code, "01002334")


def test_it_rejects_a_branch_number_of_000():
    assert error_code(identifiers.normalize_tax_code, "0314409058-000") == "invalid_branch"


def test_it_rejects_a_tax_code_whose_sequence_number_is_zero():
    body = "010000000"
    assert error_code(identifiers.normalize_tax_code, body + mst.calc_check_digit(body)) == "invalid_sequence"


def test_it_rejects_letters_in_a_tax_code():
    assert error_code(identifiers.normalize_tax_code, "01002334AB") == "invalid_characters"


def test_it_accepts_a_personal_id_as_the_tax_code_of_an_individual():
    assert identifiers.normalize_tax_code("051 090 123 456") == "051090123456"
    assert error_code(identifiers.normalize_tax_code, "003090123456") == "unknown_province"


@given(mst_bodies())
def test_any_tax_code_with_a_computed_check_digit_normalises_to_itself(body):
    code = body + mst.calc_check_digit(body)
    assert identifiers.normalize_tax_code(code) == code
    assert identifiers.normalize_tax_code(identifiers.normalize_tax_code(code)) == code


@given(mst_bodies(), st.integers(1, 999))
def test_any_branch_of_a_valid_tax_code_is_written_with_a_hyphen(body, branch):
    parent = body + mst.calc_check_digit(body)
    expected = f"{parent}-{branch:03d}"
    assert identifiers.normalize_tax_code(f"{parent}{branch:03d}") == expected
    assert identifiers.normalize_tax_code(expected) == expected


@given(digits(9).filter(lambda b: b[2:] != "0000000"), DIGIT)
def test_any_tax_code_with_a_wrong_check_digit_is_rejected(body, last):
    assume(last != mst.calc_check_digit(body))
    assert error_code(identifiers.normalize_tax_code, body + last) == "invalid_check_digit"


# Phone numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["+84 912 345 678", "84912345678", "0912.345.678", "0912-345-678", "(+84) 912 345 678", "912345678"],
)
def test_it_normalises_the_usual_ways_of_writing_a_mobile_number(written):
    assert identifiers.normalize_phone(written) == "0912345678"


def test_it_gives_the_international_form_of_a_phone_number():
    assert identifiers.phone_e164("0912.345.678") == "+84912345678"
    assert identifiers.phone_e164("0255 3822 123") == "+842553822123"


def test_it_accepts_a_landline_with_a_known_area_code():
    assert identifiers.normalize_phone("0255 3822 123") == "02553822123"
    assert identifiers.normalize_phone("+84 24 3822 1234") == "02438221234"
    assert identifiers.normalize_phone("842838221234") == "02838221234"


def test_it_rejects_a_landline_with_an_unknown_area_code():
    assert error_code(identifiers.normalize_phone, "0200 1234 567") == "unknown_area_code"


def test_it_rejects_a_mobile_number_with_an_unknown_prefix():
    assert error_code(identifiers.normalize_phone, "0951234567") == "unknown_prefix"
    assert "095" in message(identifiers.normalize_phone, "0951234567")


def test_it_rejects_a_foreign_phone_number():
    assert error_code(identifiers.normalize_phone, "+1 202 555 0100") == "foreign_number"


def test_it_rejects_a_phone_number_of_the_wrong_length():
    assert error_code(identifiers.normalize_phone, "091234567") == "invalid_length"
    assert error_code(identifiers.normalize_phone, "09123456789") == "invalid_length"
    assert error_code(identifiers.normalize_phone, "") == "invalid_length"


def test_it_rejects_letters_in_a_phone_number():
    assert error_code(identifiers.normalize_phone, "0912 ABC 678") == "invalid_characters"


def test_the_mobile_prefix_data_matches_the_published_numbering_pattern():
    # domain-vn.md 8.4: ^0(3[2-9]|5[5689]|7[06-9]|8[1-9]|9[0-46-9])\d{7}$
    expected = {f"0{n:02d}" for n in range(100) if re.fullmatch(r"3[2-9]|5[5689]|7[06-9]|8[1-9]|9[0-46-9]", f"{n:02d}")}
    data = json.loads((identifiers.DATA_DIR / "phone_prefixes.json").read_text(encoding="utf-8"))
    listed = [prefix for prefixes in data["mobile"].values() for prefix in prefixes]
    assert len(listed) == len(set(listed)), "a prefix belongs to two operators"
    assert set(listed) == expected
    assert set(data["unconfirmed_mobile_prefixes"]) <= set(listed)
    assert identifiers.mobile_prefixes()["091"] == "VinaPhone"


@given(st.sampled_from(PREFIXES), digits(7), st.sampled_from(["0", "84", "+84", "+84 ", "0084"]), st.booleans())
def test_any_number_with_a_listed_prefix_normalises_to_the_same_10_digits(prefix, rest, country, dotted):
    national = prefix + rest
    body = national[1:]
    if dotted:
        body = f"{body[:2]}.{body[2:5]}.{body[5:]}"
    written = ("0" if country == "0" else country) + body
    assert identifiers.normalize_phone(written) == national
    assert identifiers.normalize_phone(national) == national
    assert identifiers.phone_e164(written) == "+84" + national[1:]


@given(digits(2).map(lambda d: "0" + d).filter(lambda p: p not in PREFIXES), digits(7))
def test_any_mobile_number_with_an_unlisted_prefix_is_rejected(prefix, rest):
    number = prefix + rest
    # "0084…" reads as the international prefix and then fails on length instead.
    expected = "invalid_length" if number.startswith("0084") else "unknown_prefix"
    assert error_code(identifiers.normalize_phone, number) == expected


@given(st.sampled_from(AREA_CODES), digits(8))
def test_any_landline_with_a_listed_area_code_is_accepted(area_code, subscriber):
    national = ("0" + area_code + subscriber)[:11]
    assert identifiers.normalize_phone(national) == national
    assert identifiers.normalize_phone("+84 " + national[1:]) == national


# GTIN ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gtin", "expected"),
    [
        ("73513537", "00000073513537"),  # GTIN-8
        ("036000291452", "00036000291452"),  # GTIN-12 (UPC-A)
        ("4006381333931", "04006381333931"),  # GTIN-13
        ("893 4588 01222 8", "08934588012228"),  # GTIN-13 with a Vietnamese GS1 prefix, spaced
        ("98412345678908", "98412345678908"),  # GTIN-14
    ],
)
def test_it_accepts_gtins_of_every_length_and_pads_them_to_14_digits(gtin, expected):
    assert identifiers.normalize_gtin(gtin) == expected


def test_it_rejects_a_gtin_with_a_wrong_check_digit():
    assert error_code(identifiers.normalize_gtin, "4006381333932") == "invalid_check_digit"


def test_it_rejects_a_gtin_of_the_wrong_length():
    assert error_code(identifiers.normalize_gtin, "4006381333") == "invalid_length"


def test_it_rejects_letters_in_a_gtin():
    assert error_code(identifiers.normalize_gtin, "400638133393X") == "invalid_characters"


def test_it_computes_the_gtin_check_digit():
    assert identifiers.gtin_check_digit("400638133393") == "1"
    assert error_code(identifiers.gtin_check_digit, "40063813339A") == "invalid_characters"


@given(st.sampled_from([7, 11, 12, 13]).flatmap(digits), DIGIT)
def test_any_gtin_body_is_accepted_only_with_its_computed_check_digit(body, last):
    check = identifiers.gtin_check_digit(body)
    gtin = body + check
    assert identifiers.normalize_gtin(gtin) == gtin.zfill(14)
    assert identifiers.normalize_gtin(identifiers.normalize_gtin(gtin)) == gtin.zfill(14)
    if last != check:
        assert error_code(identifiers.normalize_gtin, body + last) == "invalid_check_digit"


# Administrative unit codes ---------------------------------------------------------------------


def test_it_zero_pads_province_and_commune_codes():
    assert identifiers.normalize_admin_code("1", level="province") == "01"
    assert identifiers.normalize_admin_code(51, level="province") == "51"
    assert identifiers.normalize_admin_code(ProvinceCode.P_51, level="province") == "51"
    assert identifiers.normalize_admin_code("70", level="commune") == "00070"
    assert identifiers.normalize_admin_code(" 21238 ", level="commune") == "21238"


def test_it_rejects_an_admin_code_that_is_too_long_zero_or_not_digits():
    assert error_code(identifiers.normalize_admin_code, "123", level="province") == "invalid_length"
    assert error_code(identifiers.normalize_admin_code, "212380", level="commune") == "invalid_length"
    assert error_code(identifiers.normalize_admin_code, "0", level="commune") == "invalid"
    assert error_code(identifiers.normalize_admin_code, "5A", level="province") == "invalid_characters"
    assert error_code(identifiers.normalize_admin_code, "", level="province") == "invalid_characters"


def test_it_refuses_an_unknown_admin_level():
    with pytest.raises(ValueError, match="level"):
        identifiers.normalize_admin_code("51", level="district")


@given(
    st.one_of(
        st.tuples(st.just("province"), st.integers(1, 99)),
        st.tuples(st.just("commune"), st.integers(1, 99_999)),
    )
)
def test_any_admin_code_in_range_is_zero_padded_and_idempotent(level_and_number):
    level, number = level_and_number
    width = 2 if level == "province" else 5
    code = identifiers.normalize_admin_code(number, level=level)
    assert code == str(number).zfill(width)
    assert identifiers.normalize_admin_code(code, level=level) == code


# Bank accounts and banks -----------------------------------------------------------------------


def test_it_normalises_a_bank_account_number():
    assert identifiers.normalize_bank_account("0071 0004 56789") == "0071000456789"
    assert identifiers.normalize_bank_account("vqr-abc123") == "VQRABC123"


def test_it_rejects_a_bank_account_number_that_is_too_short_or_too_long():
    assert error_code(identifiers.normalize_bank_account, "12345") == "invalid_length"
    assert error_code(identifiers.normalize_bank_account, "1" * 20) == "invalid_length"


def test_it_rejects_non_latin_letters_in_a_bank_account_number():
    assert error_code(identifiers.normalize_bank_account, "đ1234567") == "invalid_characters"


@given(
    st.text(
        st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
        min_size=6,
        max_size=19,
    )
)
def test_any_account_of_6_to_19_letters_and_digits_is_accepted_and_idempotent(account):
    assert identifiers.normalize_bank_account(account) == account.upper()
    assert identifiers.normalize_bank_account(account.upper()) == account.upper()


def test_it_finds_a_bank_by_its_bin():
    assert identifiers.bank_by_bin("970436")["short_name"] == "Vietcombank"
    assert identifiers.bank_by_bin(970415)["short_name"] == "VietinBank"
    assert identifiers.bank_by_bin("999999") is None


def test_the_bank_list_has_unique_six_digit_bins_and_names():
    bins = [bank["bin"] for bank in identifiers.banks()]
    assert len(bins) == len(set(bins))
    assert all(re.fullmatch(r"\d{6}", b) for b in bins)
    assert all(bank["short_name"] and bank["name"] for bank in identifiers.banks())
    assert {"970436", "970415", "970418", "970405", "970422", "970407", "970416"} <= set(bins)


def test_changing_a_returned_bank_does_not_change_the_list():
    identifiers.bank_by_bin("970436")["short_name"] = "changed"
    identifiers.banks()[0]["name"] = "changed"
    identifiers.cccd_province_codes()["051"] = "changed"
    assert identifiers.bank_by_bin("970436")["short_name"] == "Vietcombank"
    assert identifiers.banks()[0]["name"] != "changed"
    assert identifiers.cccd_province_codes()["051"] == "Quảng Ngãi"


def test_it_reads_the_bank_and_account_of_the_published_vietqr_sample():
    payload = (
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
        "530370454061200005802VN62170813ung ho lu lut6304C15C"
    )

    def fields(text: str) -> dict[str, str]:
        out, i = {}, 0
        while i < len(text):
            length = int(text[i + 2 : i + 4])
            out[text[i : i + 2]] = text[i + 4 : i + 4 + length]
            i += 4 + length
        return out

    beneficiary = fields(fields(fields(payload)["38"])["01"])
    assert identifiers.bank_by_bin(beneficiary["00"])["short_name"] == "VietinBank"
    assert identifiers.normalize_bank_account(beneficiary["01"]) == "0011001932418"


def test_every_data_file_says_where_it_comes_from_and_that_it_needs_checking():
    for name in ["banks.json", "cccd_province_codes.json", "phone_prefixes.json"]:
        data = json.loads((identifiers.DATA_DIR / name).read_text(encoding="utf-8"))
        assert data["source"]
        assert data["needs_verification"] is True


# Validators ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("validator", "good", "bad"),
    [
        (identifiers.validate_cccd, "051090123456", "051"),
        (identifiers.validate_tax_code, "0100233488", "0100233480"),
        (identifiers.validate_phone, "0912345678", "0951234567"),
        (identifiers.validate_gtin, "4006381333931", "4006381333932"),
    ],
)
def test_each_validator_returns_none_for_a_good_value_and_raises_for_a_bad_one(validator, good, bad):
    assert validator(good) is None
    with pytest.raises(ValidationError):
        validator(bad)
