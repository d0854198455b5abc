"""Child process of test_concurrency on SQLite: threads submitting reports to a *file* database (a copy
of the test database, made by the test with SQLite's backup API).

The test database is SQLite in memory, shared between threads through one cache that answers "table is
locked" instead of waiting; a file database in WAL mode locks as production does.

    python -m smartcommune.feedback.tests.concurrent_numbers <sqlite file> <threads> <per thread>
"""

import json
import os
import sys


def main(path: str, threads: int, per_thread: int) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_TESTING"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.db import connections

    from smartcommune.core.testing import at_once
    from smartcommune.feedback import services
    from smartcommune.feedback.models import Category, Report, ReportCounter

    lighting = Category.objects.select_related("commune").get(commune__code="21238", code="DIEN-CS")
    commune = lighting.commune
    connections.close_all()
    numbers = []  # every number given, even by a thread that failed later

    def work(_i):
        for _ in range(per_thread):
            report = services.report_submit(
                commune=commune,
                category=lighting,
                description="Đèn đường tắt cả dãy phố.",
                latitude=15.0301,
                longitude=108.8002,
            )
            numbers.append(report.number)

    errors = [repr(o) for o in at_once(work, threads) if isinstance(o, Exception)]
    return {
        "numbers": numbers,
        "errors": errors,
        "stored": Report.objects.count(),
        "counter": ReportCounter.objects.get().last,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
