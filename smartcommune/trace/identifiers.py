"""Identifiers of products, lots and cartons: GS1 Digital Link URIs, EPC URNs and our internal URIs.

- On labels: `{SITE_URL}/01/{GTIN-14}/10/{lot}` (GS1 Digital Link on our own domain), or the
  internal form `{SITE_URL}/truy-xuat/sp/{internal code}/lo/{lot}` for a product without a GTIN.
- In EPCIS events: the canonical `https://id.gs1.org/01/{GTIN-14}/10/{lot}` for lots with a GTIN (the
  form trading partners match on), the internal URI otherwise; cartons are `{SITE_URL}/truy-xuat/thung/{code}`.
- Read back from captured documents: Digital Links on any domain, `urn:epc:id:sgtin`,
  `urn:epc:class:lgtin`, `urn:epc:id:sscc`, and our own internal URIs.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from smartcommune.core.identifiers import gtin_check_digit, normalize_gtin

GS1_DOMAIN = "https://id.gs1.org"
LOT_CODE = re.compile(r"^[A-Za-z0-9._-]{1,20}$")  # a URL-safe subset of GS1's AI (10) characters
_DL_PATH = re.compile(r"/01/(\d{8,14})(?:/22/[^/]+)?(?:/10/([^/?#]+))?(?:/21/([^/?#]+))?/?$")
_SSCC_PATH = re.compile(r"/00/(\d{18})/?$")
_INTERNAL_LOT = re.compile(r"/truy-xuat/sp/([^/]+)/lo/([^/?#]+)$")
_INTERNAL_PRODUCT = re.compile(r"/truy-xuat/sp/([^/?#]+)/?$")
_INTERNAL_CARTON = re.compile(r"/truy-xuat/thung/(\d{18})$")


@dataclass(frozen=True)
class Epc:
    """What an identifier in an EPCIS event names."""

    kind: str  # "lot" | "product" | "item" | "carton" | "other"
    gtin: str = ""
    internal_code: str = ""
    lot: str = ""
    serial: str = ""
    carton: str = ""
    uri: str = ""


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def digital_link(*, gtin: str, internal_code: str, lot: str) -> str:
    """The URI printed in a lot's QR code (on our own domain)."""
    if gtin:
        return f"{_site()}/01/{gtin}/10/{quote(lot, safe='')}"
    return f"{_site()}/truy-xuat/sp/{quote(internal_code, safe='')}/lo/{quote(lot, safe='')}"


def epc_class(*, gtin: str, internal_code: str, lot: str) -> str:
    """The lot's identifier inside EPCIS events."""
    if gtin:
        return f"{GS1_DOMAIN}/01/{gtin}/10/{quote(lot, safe='')}"
    return f"{_site()}/truy-xuat/sp/{quote(internal_code, safe='')}/lo/{quote(lot, safe='')}"


def carton_uri(code: str) -> str:
    return f"{_site()}/truy-xuat/thung/{code}"


def gtin_from_epc(company_prefix: str, indicator_item: str) -> str:
    """GTIN-14 from the two parts of an SGTIN/LGTIN URN (indicator digit first, check digit computed)."""
    body = indicator_item[:1] + company_prefix + indicator_item[1:]
    if not body.isdigit() or len(body) != 13:
        raise ValueError("not a GTIN")
    return body + gtin_check_digit(body)


def _gtin(value: str) -> str:
    return normalize_gtin(value)


def parse(uri: str) -> Epc:
    """What an identifier names; a malformed GTIN raises ValidationError (wrong check digit and so on)."""
    if uri.startswith("urn:epc:"):
        return _parse_urn(uri)
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https"):
        return Epc("other", uri=uri)
    path = parts.path
    own = uri.startswith(_site() + "/")
    if own and (m := _INTERNAL_LOT.search(path)):
        return Epc("lot", internal_code=unquote(m[1]), lot=unquote(m[2]), uri=uri)
    if own and (m := _INTERNAL_PRODUCT.search(path)):
        return Epc("product", internal_code=unquote(m[1]), uri=uri)
    if own and (m := _INTERNAL_CARTON.search(path)):
        return Epc("carton", carton=m[1], uri=uri)
    if m := _DL_PATH.search(path):
        gtin = _gtin(m[1])
        if m[3]:
            return Epc("item", gtin=gtin, lot=unquote(m[2] or ""), serial=unquote(m[3]), uri=uri)
        if m[2]:
            return Epc("lot", gtin=gtin, lot=unquote(m[2]), uri=uri)
        return Epc("product", gtin=gtin, uri=uri)
    if m := _SSCC_PATH.search(path):
        return Epc("carton", carton=m[1], uri=uri)
    return Epc("other", uri=uri)


def _parse_urn(uri: str) -> Epc:
    scheme, _sep, body = uri.removeprefix("urn:epc:").partition(":")
    kind, _sep, value = body.partition(":")
    fields = value.split(".")
    try:
        if scheme == "id" and kind == "sgtin" and len(fields) == 3:
            return Epc("item", gtin=gtin_from_epc(fields[0], fields[1]), serial=unquote(fields[2]), uri=uri)
        if scheme == "class" and kind == "lgtin" and len(fields) == 3:
            return Epc("lot", gtin=gtin_from_epc(fields[0], fields[1]), lot=unquote(fields[2]), uri=uri)
        if scheme == "idpat" and kind == "sgtin" and len(fields) == 3:
            return Epc("product", gtin=gtin_from_epc(fields[0], fields[1]), uri=uri)
        if scheme == "id" and kind == "sscc" and len(fields) == 2:
            body = fields[1][:1] + fields[0] + fields[1][1:]
            return Epc("carton", carton=body + gtin_check_digit(body), uri=uri)
    except ValueError as error:
        raise ValidationError(_("%(uri)s is not a valid EPC URN.") % {"uri": uri}) from error
    return Epc("other", uri=uri)


def check_lot_code(code: str) -> str:
    code = code.strip()
    if not LOT_CODE.match(code):
        raise ValidationError(
            {
                "code": _(
                    "A lot code has 1 to 20 letters, digits, dots, dashes or underscores (it goes into the QR code)."
                )
            }
        )
    return code


def carton_code(*, commune_code: str, serial: int) -> str:
    """An 18-digit carton code with a GS1 mod-10 check digit: 0, the commune code, an 11-digit serial."""
    body = f"0{commune_code[-5:]:0>5}{serial:011d}"
    return body + gtin_check_digit(body)
