"""`python -m bench [--alleen pdf|queries|upload] [--repeat N] [--page-repeat N]
[--upload-repeat N] [--json PATH]`: three benchmarks.

Meant to run through `make bench`, which starts a throwaway PostgreSQL and sets DATABASE_URL to
an empty database. The benchmark migrates that database, then runs every part (or the one named
by `--alleen`), the first two inside a transaction that is rolled back:

- pdf: builds a large aanvraag with the test factories, warms WeasyPrint up once (the first
  render loads the fonts), then times N renders of the large aanvraag, of a plain document with
  the same text (`bench.plain`, the engine's floor) and of a one-page baseline document with the
  same stylesheet;
- queries: counts the SQL queries of every main page at 1x and 10x data, its time and, for a
  list or an export, its data rows (`bench.queries`);
- upload: times the upload check of a 1-page and a 40-page PDF in the worker and in its child
  process (`bench.uploadcontrole`).

It prints a table per part and writes every figure as JSON to bench/results.json (`--json`
elsewhere; `bench.report.results_json` says what is in it), also when query counts differ.

The speed figures are informative: a slow render or page never fails the run. The exit status is
non-zero on errors, and when a page takes a different number of queries at 10x than at 1x (a
query per row somewhere), since that is a correctness property, not a speed one.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import django

from bench.argtypes import positive_int

TARGET_SECONDS = 1.5
DEFAULT_REPEAT = 5
DEFAULT_PAGE_REPEAT = 3
DEFAULT_UPLOAD_REPEAT = 20
PARTS = ("pdf", "queries", "upload")
RESULTS_JSON = Path(__file__).with_name("results.json")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Time the PDF of a large aanvraag against a one-page baseline, count"
        " the SQL queries of every main page at 1x and 10x data, and time the upload check of a"
        " PDF in the worker and in its child process.",
    )
    parser.add_argument(
        "--alleen",
        choices=PARTS,
        help="run only this part (default: both)",
    )
    parser.add_argument(
        "--repeat",
        type=positive_int,
        default=DEFAULT_REPEAT,
        help=f"timed renders of each document after the warm-up (default {DEFAULT_REPEAT})",
    )
    parser.add_argument(
        "--page-repeat",
        type=positive_int,
        default=DEFAULT_PAGE_REPEAT,
        help="timed requests of each page at each scale after two warm-ups"
        f" (default {DEFAULT_PAGE_REPEAT})",
    )
    parser.add_argument(
        "--upload-repeat",
        type=positive_int,
        default=DEFAULT_UPLOAD_REPEAT,
        help="timed upload checks of each PDF, each way, after one warm-up"
        f" (default {DEFAULT_UPLOAD_REPEAT})",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=RESULTS_JSON,
        metavar="PATH",
        help="where to write the results as JSON (default bench/results.json)",
    )
    return parser.parse_args(argv)


def _git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).parent,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip() or None


def environment_json() -> dict[str, Any]:
    """Which versions, machine and commit produced the figures, for bench/results.json."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        row = cursor.fetchone()
    return {
        "time_utc": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "weasyprint": version("weasyprint"),
        "database": row[0] if row else connection.vendor,
        "cpu_count": os.cpu_count(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def environment() -> str:
    """Which versions produced the figures."""
    from django.db import connection

    database = connection.vendor
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            row = cursor.fetchone()
        database = f"PostgreSQL {row[0] if row else '?'}"
    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"WeasyPrint {version('weasyprint')}, {database}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        print(
            "bench: DATABASE_URL is not set. The benchmark migrates and fills an empty database;"
            " run it with `make bench`, which provides a throwaway PostgreSQL.",
            file=sys.stderr,
        )
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regierol.settings")
    django.setup()

    from django.core.management import call_command
    from django.db import connection, transaction

    if connection.introspection.table_names():
        print(
            f"bench: the database {connection.settings_dict['NAME']!r} is not empty; the benchmark"
            " only runs on an empty, throwaway database (`make bench`).",
            file=sys.stderr,
        )
        return 2
    call_command("migrate", verbosity=0, interactive=False)

    from .queries import run_queries
    from .report import QueryReport, Report, UploadReport, results_json
    from .run import run
    from .uploadcontrole import run_upload

    parts = [args.alleen] if args.alleen else list(PARTS)
    status = 0
    results = query_results = upload_results = None
    if "pdf" in parts:
        # Everything the benchmark writes is rolled back: the database is left as migrated.
        with transaction.atomic():
            results = run(args.repeat)
            transaction.set_rollback(True)
        report = Report(
            results=results,
            repeat=args.repeat,
            target_seconds=TARGET_SECONDS,
            environment=environment(),
            peak_rss_bytes=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        )
        print(report.render(), flush=True)
    if "queries" in parts:
        if "pdf" in parts:
            print()
        with transaction.atomic():
            query_results = run_queries(args.page_repeat)
            transaction.set_rollback(True)
        print(QueryReport(results=query_results, environment=environment()).render())
        if not query_results.ok:
            status = 1
    if "upload" in parts:
        if parts != ["upload"]:
            print()
        upload_results = run_upload(args.upload_repeat)
        print(
            UploadReport(
                results=upload_results, repeat=args.upload_repeat, environment=environment()
            ).render()
        )
    figures = results_json(
        pdf=results, queries=query_results, upload=upload_results, environment=environment_json()
    )
    args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"\nbench: results written to {args.json}")
    return status


if __name__ == "__main__":
    sys.exit(main())
