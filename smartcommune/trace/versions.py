"""How the public lot page finds what its cache key needs without asking the database each time.

The page is cached under the lot's and the product's versions, which every change increments. Finding
those versions from a scanned address (GTIN or internal code, lot code) is one query; its answer is kept
LOOKUP_SECONDS in the cache under a generation number that every version change increments (`changed`).
Where the cache is shared (Redis in production) a change shows at once on every server; with a
per-process cache, at once in the process that made it and within LOOKUP_SECONDS in the others.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

GENERATION = "trace:lookup-generation"
LOOKUP_SECONDS = 3


def changed() -> None:
    """A lot's or a product's version changed: every lookup kept so far is stale. Again at commit, so a
    lookup read meanwhile from the not yet committed data is not kept under the new generation."""
    _next_generation()
    transaction.on_commit(_next_generation)


def _next_generation() -> None:
    try:
        cache.incr(GENERATION)
    except ValueError:  # not in the cache (first change, or evicted): any new value does
        cache.set(GENERATION, 1, None)


def lookup(address: str, find: Callable[[], tuple | None]) -> tuple | None:
    """`find()`'s answer for this address, from the cache while the generation holds (one cache round trip)."""
    key = "trace:lookup:" + hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    kept = cache.get_many([GENERATION, key])
    generation = kept.get(GENERATION, 0)
    entry = kept.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    found = find()
    if found is not None:
        cache.set(key, (generation, found), LOOKUP_SECONDS)
    return found
