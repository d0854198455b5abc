"""Child process of test_concurrency on SQLite: threads confirming (or expiring) orders on a *file*
database copy (SQLite's in-memory test database answers "table is locked" instead of waiting).

    python -m smartcommune.market.tests.concurrent_confirm <sqlite file> [confirm_all | expire_at_once]
"""

import json
import os
import sys


def main(path: str, work: str = "confirm_all") -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_TESTING"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from smartcommune.market.tests import test_concurrency

    return getattr(test_concurrency, work)()


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:3])))
