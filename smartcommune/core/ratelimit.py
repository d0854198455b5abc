"""A small fixed-window rate limit in the shared cache: flooding from one address gets a clear refusal.

Works across app servers when the cache is Redis (REDIS_URL); per process with the local cache."""

import hashlib
import time

from django.core.cache import cache


def client_key(request) -> str:
    """The client's address (first X-Forwarded-For hop behind a proxy), hashed: no IP in the cache."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    address = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one event for `key` in `scope`; False when more than `limit` happened in this window (seconds)."""
    bucket = int(time.time() // window)
    name = f"rl:{scope}:{key}:{bucket}"
    if cache.add(name, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window + 1)
        return True
    return count <= limit
