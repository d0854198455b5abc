import io
from datetime import date

from pypdf import PdfReader

from smartcommune.core.pdf import Document


def text_of(doc: Document) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(doc.bytes())).pages)


def test_the_signature_block_gives_the_place_the_date_in_vietnamese_and_who_signs():
    doc = Document(issuer="UBND Xã Vệ Giang", title="Báo cáo")
    doc.signature(place="Xã Vệ Giang", role="TM. ỦY BAN NHÂN DÂN", on=date(2025, 3, 5))
    text = text_of(doc)
    assert "Xã Vệ Giang, ngày 05 tháng 03 năm 2025" in text
    assert "TM. ỦY BAN NHÂN DÂN" in text
