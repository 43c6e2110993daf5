"""Before `make run` migrates: a demo database (db.sqlite3) made before the portal was split into
one app per part of the domain (December 2026) cannot be migrated, since its migrations belong to
the old single app. It is demo data only, so it is set aside under another name and a new one is
made. Does nothing when DATABASE_URL names another database or the file is already of this kind."""

import os
import sqlite3
import sys
import time
from pathlib import Path

DB = Path(__file__).resolve().parent.parent / "db.sqlite3"


def main() -> int:
    if os.environ.get("DATABASE_URL") or not DB.exists():
        return 0
    with sqlite3.connect(DB) as conn:
        try:
            old = conn.execute(
                "SELECT 1 FROM django_migrations WHERE app = 'applications' LIMIT 1"
            ).fetchone()
        except sqlite3.DatabaseError:
            return 0
    if old is None:
        return 0
    target = DB.with_name(f"db.sqlite3.voor-opsplitsing-{time.strftime('%Y%m%d-%H%M%S')}")
    DB.rename(target)
    print(
        f"De demodatabase was van voor de opsplitsing in apps en kan niet gemigreerd worden; "
        f"ze staat nu in {target.name}. Er wordt een nieuwe gemaakt."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
