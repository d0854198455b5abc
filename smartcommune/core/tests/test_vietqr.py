from hypothesis import given
from hypothesis import strategies as st

from smartcommune.core import vietqr

# Published example (domain-vn.md §8.5): VietinBank (970415) account 0011001932418, 120.000 VND, "ung ho lu lut".
PUBLISHED = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA5303704540612000058"
    "02VN62170813ung ho lu lut6304C15C"
)


def test_the_crc_of_the_published_example_is_c15c():
    assert vietqr.crc16_ccitt_false(PUBLISHED[:-4]) == "C15C"


def test_our_payload_matches_the_published_example_byte_for_byte():
    text = vietqr.payload(bin="970415", account="0011001932418", amount=120_000, purpose="ủng hộ lũ lụt")
    assert text == PUBLISHED


def test_every_field_decodes_back():
    text = vietqr.payload(bin="970405", account="3600205123456", amount=245_000, purpose="DH VG-2025-000017")
    decoded = vietqr.decode(text)
    assert decoded == vietqr.Decoded("970405", "3600205123456", 245_000, "DH VG-2025-000017", True, True)


def test_a_static_code_has_no_amount():
    decoded = vietqr.decode(vietqr.payload(bin="970422", account="0123456789"))
    assert decoded.amount is None and not decoded.dynamic and decoded.crc_ok


def test_the_purpose_loses_its_diacritics_and_is_cut_to_25_characters():
    decoded = vietqr.decode(
        vietqr.payload(bin="970422", account="01", amount=1, purpose="Đơn hàng số 123 của Hợp tác xã Đồng Lớn")
    )
    assert decoded.purpose == "Don hang so 123 cua Hop t"


@given(
    bin=st.from_regex(r"9704[0-9]{2}", fullmatch=True),
    account=st.from_regex(r"[0-9A-Z]{1,19}", fullmatch=True),
    amount=st.integers(1, 10**11),
)
def test_any_transfer_round_trips_with_a_valid_crc(bin, account, amount):
    decoded = vietqr.decode(vietqr.payload(bin=bin, account=account, amount=amount, purpose="DH1"))
    assert (decoded.bin, decoded.account, decoded.amount, decoded.crc_ok) == (bin, account, amount, True)
