"""Text helpers for Vietnamese: accent-free search keys and slugs.

SQLite's case-insensitive LIKE only folds ASCII, so "dong" must be matched against a stored key
that both databases compare the same way.
"""

import re
import unicodedata

from django.utils.text import slugify

_D = str.maketrans({"đ": "d", "Đ": "d"})
_SPACES = re.compile(r"\s+")


def _latin_table() -> dict[int, str]:
    # Every precomposed Latin letter (Vietnamese included) to its bare letter, in one str.translate.
    table = {}
    for code in range(0xC0, 0x1EFA):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base.isascii() and base.isalpha():
            table[code] = base
    return table | _D


_FOLD = _latin_table()


def fold(value: str | None) -> str:
    """Lower-case, strip accents, map đ to d, collapse white space: "Thôn Đồng  Lớn" -> "thon dong lon"."""
    if not value:
        return ""
    text = str(value).translate(_FOLD)
    if not text.isascii():  # combining marks or other scripts: the slow, general way
        text = unicodedata.normalize("NFD", text.translate(_D))
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text).strip().lower()


def slugify_vi(value: str) -> str:
    """A URL slug that keeps đ as d ("Đà Nẵng" -> "da-nang", not "a-nang")."""
    return slugify(str(value).translate(_D))
