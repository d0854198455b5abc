"""For tests that need real concurrency against the real database (used by the concurrency tests and the
child processes they start on SQLite)."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def at_once(work: Callable[[int], Any], times: int, *, timeout: float = 60) -> list:
    """Call `work(i)` for i in range(times), each from its own thread, all released together by a barrier.
    Each thread closes its own database connections when done (left open, they keep the test database from
    being dropped). Returns, in the order the calls ended, what each returned or the exception it raised."""
    barrier, outcomes, lock = threading.Barrier(times), [], threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait(timeout)
            outcome = work(i)
        except Exception as error:
            outcome = error
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return outcomes
