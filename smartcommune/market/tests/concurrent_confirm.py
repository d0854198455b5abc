"""Child process of test_concurrency on SQLite: threads confirming orders on a *file* database copy
(SQLite's in-memory test database answers "table is locked" instead of waiting).

    python -m smartcommune.market.tests.concurrent_confirm <sqlite file>
"""

import json
import os
import sys


def main(path: str) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_TESTING"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from smartcommune.market.tests.test_concurrency import confirm_all

    return confirm_all()


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
