"""VietQR: the published example byte for byte, and every field of an order's code decoded back."""

import pytest
from django.core.exceptions import ValidationError

from smartcommune.core import vietqr
from smartcommune.market import payments

from .conftest import place

pytestmark = pytest.mark.django_db

# Published example (domain-vn.md §8.5): VietinBank 970415, account 0011001932418, 120.000 VND, "ung ho lu lut".
PUBLISHED = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA5303704540612000058"
    "02VN62170813ung ho lu lut6304C15C"
)


def test_the_payload_builder_reproduces_the_published_example():
    assert vietqr.payload(bin="970415", account="0011001932418", amount=120_000, purpose="ủng hộ lũ lụt") == PUBLISHED
    decoded = vietqr.decode(PUBLISHED)
    assert (decoded.bin, decoded.account, decoded.amount, decoded.purpose, decoded.crc_ok) == (
        "970415", "0011001932418", 120_000, "ung ho lu lut", True,
    )  # fmt: skip


def test_an_orders_code_decodes_to_the_producers_bank_account_the_total_and_the_order_number(
    commune, buyer, rice_offer
):
    order = place(commune, buyer, (rice_offer.pk, 2), payment="vietqr")[0]
    text = payments.order_payload(order)
    fields = vietqr.parse_tlv(text)
    assert fields["00"] == "01" and fields["53"] == "704" and fields["58"] == "VN"
    merchant = vietqr.parse_tlv(fields["38"])
    assert merchant["00"] == "A000000727" and merchant["02"] == "QRIBFTTA"
    decoded = vietqr.decode(text)
    assert decoded == vietqr.Decoded("970405", "3600205123456", 300_000, order.number, True, True)
    assert text[-4:] == vietqr.crc16_ccitt_false(text[:-4])
    assert payments.qr_svg(text).startswith("<svg")


def test_a_producer_without_a_bank_account_gets_no_code_and_a_clear_reason(commune, buyer, honey_offer):
    order = place(commune, buyer, (honey_offer.pk, 1))[0]
    with pytest.raises(ValidationError, match="has not registered a bank account"):
        payments.order_payload(order)


def test_an_unknown_bank_bin_is_refused(organisation):
    organisation.bank_bin = "123456"
    assert "not a known Vietnamese bank" in payments.bank_problem(organisation)
