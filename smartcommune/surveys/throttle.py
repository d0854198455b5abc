"""Flooding and code guessing, per client address (core.ratelimit; hashed addresses only).

- Every code lookup and every submission counts: SURVEYS_RATE_LIMIT per minute (default 30; a commune
  hall where many households answer over one connection stays well under it).
- Every wrong code counts too: past SURVEYS_WRONG_CODE_LIMIT in an hour (default 20) the address is
  held back for an hour, which makes guessing codes hopeless (31^7 codes, a few thousand in use).

Both limits are read from settings, else from the environment, so that a benchmark can raise them
for its own server process.
"""

import os

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from smartcommune.core import ratelimit


def limit(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    return int(value if value is not None else os.environ.get(name, default))


def _held_key(key: str) -> str:
    return f"surveys:held:{key}"


def refused(request) -> int | None:
    """Count one attempt; the seconds to wait when this address must stop, else None."""
    key = ratelimit.client_key(request)
    if cache.get(_held_key(key)):
        return 3600
    if not ratelimit.hit("surveys:answer", key, limit=limit("SURVEYS_RATE_LIMIT", 30), window=60):
        return 60
    return None


def wrong_code(request) -> None:
    key = ratelimit.client_key(request)
    if not ratelimit.hit("surveys:wrong", key, limit=limit("SURVEYS_WRONG_CODE_LIMIT", 20), window=3600):
        cache.set(_held_key(key), 1, timeout=3600)


def message() -> str:
    return _("Too many attempts from your connection in a short time. Wait a few minutes, then try again.")
