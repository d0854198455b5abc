"""Text helpers for Vietnamese: accent-free search keys and slugs.

SQLite's case-insensitive LIKE only folds ASCII, so "dong" must be matched against a stored key
that both databases compare the same way.
"""

import re
import unicodedata

from django.utils.text import slugify

_D = str.maketrans({"đ": "d", "Đ": "d"})
_SPACES = re.compile(r"\s+")


def fold(value: str | None) -> str:
    """Lower-case, strip accents, map đ to d, collapse white space: "Thôn Đồng  Lớn" -> "thon dong lon"."""
    if not value:
        return ""
    text = unicodedata.normalize("NFD", str(value).translate(_D))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text).strip().lower()


def slugify_vi(value: str) -> str:
    """A URL slug that keeps đ as d ("Đà Nẵng" -> "da-nang", not "a-nang")."""
    return slugify(str(value).translate(_D))
