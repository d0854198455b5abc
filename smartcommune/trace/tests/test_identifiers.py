"""Our GTINs, Digital Links and carton codes, checked independently with biip (a GS1 parser)."""

import pytest
from biip import parse as biip_parse
from biip.gtin import Gtin
from biip.sscc import Sscc
from django.core.exceptions import ValidationError
from django.test import override_settings

from smartcommune.trace import identifiers

from .conftest import GTIN14

SITE = "https://xa.example.vn"


@override_settings(SITE_URL=SITE)
def test_a_digital_link_on_our_domain_is_a_valid_gs1_digital_link():
    uri = identifiers.digital_link(gtin=GTIN14, internal_code="21238-1", lot="L2506A")
    assert uri == f"{SITE}/01/{GTIN14}/10/L2506A"
    parsed = biip_parse(uri).gs1_digital_link_uri
    assert parsed is not None
    strings = {e.ai.ai: e.value for e in parsed.element_strings}
    assert strings == {"01": GTIN14, "10": "L2506A"}
    assert Gtin.parse(GTIN14).prefix.usage.startswith("GS1 Vietnam") or Gtin.parse(GTIN14).prefix.value.startswith(
        "893"
    )


@override_settings(SITE_URL=SITE)
def test_products_without_gtin_get_the_internal_form():
    assert (
        identifiers.digital_link(gtin="", internal_code="21238-7", lot="R-01") == f"{SITE}/truy-xuat/sp/21238-7/lo/R-01"
    )
    assert identifiers.epc_class(gtin="", internal_code="21238-7", lot="R-01") == f"{SITE}/truy-xuat/sp/21238-7/lo/R-01"
    assert (
        identifiers.epc_class(gtin=GTIN14, internal_code="21238-7", lot="R-01")
        == f"https://id.gs1.org/01/{GTIN14}/10/R-01"
    )


@override_settings(SITE_URL=SITE)
@pytest.mark.parametrize(
    ("uri", "kind", "gtin", "lot", "serial"),
    [
        ("https://id.gs1.org/01/70614141123451/21/2017", "item", "70614141123451", "", "2017"),
        ("https://id.gs1.org/01/70614141123451/10/998877", "lot", "70614141123451", "998877", ""),
        ("https://brand.example.com/shop/01/04012345987652", "product", "04012345987652", "", ""),
        ("https://id.gs1.org/01/4012345987652/10/A%2FB", "lot", "04012345987652", "A/B", ""),
        (f"{SITE}/truy-xuat/sp/21238-7/lo/R-01", "lot", "", "R-01", ""),
    ],
)
def test_identifiers_in_events_are_read(uri, kind, gtin, lot, serial):
    epc = identifiers.parse(uri)
    assert (epc.kind, epc.gtin, epc.lot, epc.serial) == (kind, gtin, lot, serial)
    if gtin:
        assert Gtin.parse(epc.gtin).value.zfill(14) == gtin


@pytest.mark.parametrize(
    ("urn", "kind", "lot", "serial"),
    [
        ("urn:epc:id:sgtin:4012345.011122.25", "item", "", "25"),
        ("urn:epc:class:lgtin:4012345.011111.4444", "lot", "4444", ""),
        ("urn:epc:idpat:sgtin:4012345.011122.*", "product", "", ""),
    ],
)
def test_epc_urns_become_gtins_with_their_check_digit(urn, kind, lot, serial):
    epc = identifiers.parse(urn)
    assert (epc.kind, epc.lot, epc.serial) == (kind, lot, serial)
    # The indicator digit moves in front and the check digit is computed: biip must agree it is a GTIN.
    assert Gtin.parse(epc.gtin).as_gtin_14() == epc.gtin


def test_sscc_urns_and_our_carton_codes_have_valid_check_digits():
    epc = identifiers.parse("urn:epc:id:sscc:0614141.1234567890")
    assert epc.kind == "carton" and Sscc.parse(epc.carton).value == epc.carton
    code = identifiers.carton_code(commune_code="21238", serial=12 * 10**7 + 3)
    assert len(code) == 18 and Sscc.parse(code).value == code


def test_a_digital_link_with_a_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError):
        identifiers.parse("https://id.gs1.org/01/70614141123452/10/1")
    assert biip_parse("https://id.gs1.org/01/70614141123452/10/1").gs1_digital_link_uri.element_strings[0].gtin is None


def test_other_uris_are_left_as_they_are():
    assert identifiers.parse("urn:epc:id:sgln:0614141.07346.1234").kind == "other"
    assert identifiers.parse("https://example.com/somewhere").kind == "other"
