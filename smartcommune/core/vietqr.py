"""NAPAS VietQR payloads: EMVCo merchant-presented QR for a bank transfer, which any Vietnamese
banking app scans to pre-fill beneficiary, amount and purpose.

Layout (domain-vn.md §8.5): TLV fields "ID(2) LEN(2) VALUE"; 38 holds the NAPAS GUID, the bank BIN
and the account; 54 the amount in VND; 62/08 the purpose; 63 a CRC-16/CCITT-FALSE over the whole
string including "6304", in upper-case hex.
"""

import unicodedata
from dataclasses import dataclass

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
PURPOSE_MAX = 25  # EMVCo limit of a sub-field in template 62


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt_false(data: str) -> str:
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def ascii_text(text: str) -> str:
    """Vietnamese text without diacritics ("Đơn hàng" -> "Don hang"), as banking apps expect."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    return "".join(ch for ch in text if 32 <= ord(ch) < 127)


def payload(*, bin: str, account: str, amount: int | None = None, purpose: str = "") -> str:
    """The QR text for a transfer to `account` at the bank `bin`; dynamic when it carries an amount."""
    if not (bin.isdigit() and len(bin) == 6):
        raise ValueError("a bank BIN has 6 digits")
    if not account or len(account) > 19 or not account.isalnum():
        raise ValueError("an account number has 1 to 19 letters or digits")
    if amount is not None and amount <= 0:
        raise ValueError("the amount must be positive")
    beneficiary = _tlv("00", bin) + _tlv("01", account)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_TO_ACCOUNT)
    parts = [_tlv("00", "01"), _tlv("01", "12" if amount else "11"), _tlv("38", merchant), _tlv("53", "704")]
    if amount:
        parts.append(_tlv("54", str(int(amount))))
    parts.append(_tlv("58", "VN"))
    text = ascii_text(purpose)[:PURPOSE_MAX].strip()
    if text:
        parts.append(_tlv("62", _tlv("08", text)))
    body = "".join(parts) + "6304"
    return body + crc16_ccitt_false(body)


def parse_tlv(text: str) -> dict[str, str]:
    fields, i = {}, 0
    while i < len(text):
        tag, length = text[i : i + 2], int(text[i + 2 : i + 4])
        fields[tag] = text[i + 4 : i + 4 + length]
        i += 4 + length
    return fields


@dataclass(frozen=True)
class Decoded:
    bin: str
    account: str
    amount: int | None
    purpose: str
    dynamic: bool
    crc_ok: bool


def decode(text: str) -> Decoded:
    """Read every field back (and check the CRC): what a banking app would show."""
    fields = parse_tlv(text)
    merchant = parse_tlv(fields["38"])
    beneficiary = parse_tlv(merchant["01"])
    extra = parse_tlv(fields.get("62", ""))
    return Decoded(
        bin=beneficiary["00"],
        account=beneficiary["01"],
        amount=int(fields["54"]) if "54" in fields else None,
        purpose=extra.get("08", ""),
        dynamic=fields["01"] == "12",
        crc_ok=crc16_ccitt_false(text[:-4]) == fields["63"] and merchant["00"] == NAPAS_GUID,
    )
