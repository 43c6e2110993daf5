"""`python -m loadtest`: the portal under 50 concurrent users (issue 7, "Under load").

Run by `make loadtest` as `bash scripts/with-postgres.sh python -m loadtest`: DATABASE_URL points
at an empty, throwaway PostgreSQL. In that one database it

1. migrates, builds Flanders-scale data (loadtest.data: 285 besturen, 40 regieverbanden, 3 calls,
   120 aanvragen with 60 actions each, sessions for 40 regisseurs and 8 reviewers) and collects
   the static files into a temporary STATIC_ROOT (whitenoise, hashed and compressed names);
2. starts gunicorn with 2 workers on 127.0.0.1:<free port>, debug off, settings
   `loadtest.settings` (the portal's, plus `/_minimaal/`), and waits for /healthz;
3. runs locust headless (loadtest.locustfile), each run ramping up at 10 users a second, then
   resetting its statistics and measuring for the given time:
   - the mix: 50 users, one in five a WSE reviewer (queue, review pages, coverage, budget), the
     others regisseurs (sections saved with the right `versie`, meerjarenplan, actions changed
     and added, some aanvragen submitted), for 60 s;
   - the minimal view: the same 50 users on `/_minimaal/` only, for the same time;
   - an empty page for a logged-in regisseur (`/_minimaal/aangemeld/`: session, account,
     roles and the base template, nothing else), the floor under every page, for a quarter of
     that time (at least 10 s);
   - each key page alone (loadtest.paginas.SLEUTELPAGINAS): 50 users on GETs of that page
     only, for the same quarter;
4. prints per page requests, req/s, p50/p95/p99 latency and failures; the throughput ratios with
   gunicorn's CPU milliseconds per request (a cost that other programs on the machine hardly
   change, unlike latency); the CPU that gunicorn, PostgreSQL, locust and the rest of the
   machine used; and a verdict per target: no error, p95 under 300 ms on every page of the mix,
   each key page at least 1/3 of the minimal view's throughput.

The exit status is non-zero only on errors (failed requests: a 5xx, a refused save, a lost
session; or a process that did not start), never because a page was slow.

Choices:

- No think time by default. Each user sends its next request as soon as the previous answer
  arrives, so the 50 users keep the server saturated and req/s is the portal's capacity on this
  machine; a throughput ratio means nothing otherwise (with think time both runs would show the
  users' pace, not the server's). The price: latency then follows from capacity (Little's law:
  mean latency = users / req/s), so p95 under 300 ms with 50 busy users asks for roughly 200
  req/s or more. `--think S` adds a random pause of on average S seconds before each request of
  the mix, to see latency under a gentler load; the key-page runs and the ratios are then left
  out (the users' pace would set the throughput), the minimal view still runs without pause.
- What "a third of the minimal view's throughput" compares: in the mix each page gets only a
  share of the requests, so its own req/s says nothing about its cost. The ratio is therefore
  taken (a) for all pages of the mix together against the minimal view, and (b) for each key
  page from a run of that page alone with the same users, against the minimal view; the verdict
  uses (b), (a) is shown for context.
- sync workers by default, gunicorn's default and what the README's production command runs.
  Measured against gthread (2 workers x 4 threads) in the mix on this 2-core machine, while other
  programs took about 1.2 of its cores: the same throughput (21.6 and 22.3 req/s), a lower p95
  on the pages (3.4 s against 4.9 s) and a submission 3.5 times faster (7 s against 25 s). The
  portal's requests are CPU-bound Python:
  threads in one process only take turns on the GIL, so a PDF render shared with three page
  requests takes ever longer and holds them back too, while a sync worker finishes one request
  at a time. Keep-alive (gthread's other advantage) matters only for the minimal view, where a
  new loopback connection per request is a visible share of the work. `--worker-class gthread`
  measures the other choice.
- locust and gunicorn share the machine's cores (and so do other programs running meanwhile):
  the CPU lines show how much each took, and whether the load generator, not the portal, was the
  limit of the minimal view.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from bench.argtypes import non_negative_float, positive_float, positive_int

DEFAULT_USERS = 50
DEFAULT_SECONDS = 60
SPAWN_RATE = 10.0
WORKERS = 2
THREADS = 4
REVIEWER_SHARE = 5  # one user in five is a WSE reviewer


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m loadtest",
        description="Drive the portal on gunicorn and PostgreSQL with concurrent users.",
    )
    parser.add_argument(
        "--users",
        type=positive_int,
        default=DEFAULT_USERS,
        help=f"concurrent users in every run (default {DEFAULT_USERS})",
    )
    parser.add_argument(
        "--seconds",
        type=positive_int,
        default=DEFAULT_SECONDS,
        help=f"measured seconds of the mix and of the minimal view (default {DEFAULT_SECONDS});"
        " each key page gets a quarter of it, at least 10",
    )
    parser.add_argument(
        "--scale",
        type=positive_float,
        default=1.0,
        help="size of the data: 1 is the issue's (40 verbanden, 60 actions per aanvraag);"
        " 0.25 builds a quarter, for a quick run",
    )
    parser.add_argument(
        "--think",
        type=non_negative_float,
        default=0.0,
        help="mean pause in seconds before each request of a user (default 0: none)",
    )
    parser.add_argument(
        "--worker-class",
        choices=("sync", "gthread"),
        default="sync",
        help=f"gunicorn worker class (default sync; gthread runs {THREADS} threads per worker)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="keep locust's CSV files and logs and gunicorn's log in DIR (created if missing)",
    )
    return parser.parse_args(argv)


def server_env(workdir: Path) -> dict[str, str]:
    """The environment of this process and of gunicorn: production settings with debug off,
    but plain HTTP on loopback, temporary static and private files, and no mail server."""
    static_root = workdir / "static"
    private = workdir / "private"
    private.mkdir()
    return {
        "DJANGO_SETTINGS_MODULE": "loadtest.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_MANIFEST": "1",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(private),
        # The confirmation e-mail of a submission is composed, then dropped: no SMTP server here.
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def environment_line(worker_class: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    workers = f"{WORKERS} {worker_class} workers" + (
        f" x {THREADS} threads" if worker_class == "gthread" else ""
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"Python {platform.python_version()}, Django {version('django')}, PostgreSQL"
        f" {row[0] if row else '?'}, gunicorn {version('gunicorn')} ({workers}), locust"
        f" {version('locust')}; {os.cpu_count()} cores, load average before the runs {load}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print(
            "loadtest: DATABASE_URL does not point at PostgreSQL. The load test fills an empty"
            " database; run it with `make loadtest`, which provides a throwaway PostgreSQL.",
            file=sys.stderr,
        )
        return 2
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        return run(args, Path(tempfile.mkdtemp(prefix="regierol-loadtest-", dir=args.keep)))
    with tempfile.TemporaryDirectory(prefix="regierol-loadtest-") as tmp:
        return run(args, Path(tmp))


def run(args: argparse.Namespace, workdir: Path) -> int:
    env = server_env(workdir)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.introspection.table_names():
        print(
            f"loadtest: the database {connection.settings_dict['NAME']!r} is not empty; the load"
            " test only runs on an empty, throwaway database (`make loadtest`).",
            file=sys.stderr,
        )
        return 2

    from .cpu import CpuUse
    from .data import Omvang, build
    from .paginas import SLEUTELPAGINAS
    from .processen import Gunicorn, LocustRun
    from .report import Report, Run

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.monotonic()
    omvang = Omvang.schaal(args.scale)
    plan = build(omvang=omvang)
    built = time.monotonic()
    plan_path = workdir / "plan.json"
    plan.write(plan_path)
    call_command("collectstatic", verbosity=0, interactive=False)
    collected = time.monotonic()
    heading = [
        f"Load test: {args.users} users without pause"
        if not args.think
        else f"Load test: {args.users} users, on average {args.think:g} s between requests",
        environment_line(args.worker_class),
        f"Data: {_data_line()}; migrate {migrated - started:.1f} s, data"
        f" {built - migrated:.1f} s, collectstatic {collected - built:.1f} s",
    ]
    connection.close()

    gunicorn = Gunicorn(
        env={**os.environ, **env},
        log=workdir / "gunicorn.log",
        workers=WORKERS,
        worker_class=args.worker_class,
        threads=THREADS,
    )
    try:
        gunicorn.wait_until_healthy()
        reviewers = max(1, args.users // REVIEWER_SHARE) if args.users > 1 else 0
        locust_env = {
            "LOADTEST_PLAN": str(plan_path),
            "LOADTEST_SECONDS": str(args.seconds),
            "LOADTEST_BEOORDELAARS": str(reviewers),
            "LOADTEST_DENKTIJD": f"{args.think:g}",
        }

        def measure(titel: str, locust_run: LocustRun) -> Run:
            print(f"loadtest: {titel} ...", file=sys.stderr, flush=True)
            result = locust_run.run(
                host=gunicorn.url, gunicorn_pid=gunicorn.process.pid, workdir=workdir
            )
            if not Path(f"{result.prefix}_stats.csv").exists():
                log = result.log.read_text(errors="replace")
                raise RuntimeError(f"locust wrote no statistics for {titel}:\n{log}")
            return Run.read(titel, result.prefix, CpuUse.read(result.cpu), result.exit_status)

        regisseurs = args.users - reviewers
        mix = measure(
            f"Mix: {regisseurs} regisseurs, {reviewers} reviewers, {args.seconds} s",
            LocustRun(
                "mix",
                ["RegisseurUser", "BeoordelaarUser"],
                args.users,
                SPAWN_RATE,
                args.seconds,
                locust_env,
            ),
        )
        minimaal = measure(
            f"Minimal view: {args.users} users, {args.seconds} s",
            LocustRun(
                "minimaal", ["MinimaalUser"], args.users, SPAWN_RATE, args.seconds, locust_env
            ),
        )
        key_seconds = max(10, args.seconds // 4)
        leeg = (
            None
            if args.think
            else measure(
                f"Empty logged-in page: {args.users} users, {key_seconds} s",
                LocustRun(
                    "leeg", ["LegePaginaUser"], args.users, SPAWN_RATE, key_seconds, locust_env
                ),
            )
        )
        sleutel = [
            measure(
                f"Key page alone: {pagina.naam}, {key_seconds} s",
                LocustRun(
                    f"sleutel-{n}",
                    ["PaginaUser"],
                    args.users,
                    SPAWN_RATE,
                    key_seconds,
                    {**locust_env, "LOADTEST_PAGINA": pagina.naam},
                ),
            )
            for n, pagina in enumerate(SLEUTELPAGINAS, start=1)
            if not args.think
        ]
        report = Report(
            heading=heading,
            mix=mix,
            minimaal=minimaal,
            leeg=leeg,
            sleutel=sleutel,
            denktijd=args.think,
        )
        print(report.render())
        if report.failures:
            print("\nLast lines of gunicorn's log:\n" + gunicorn.log_tail(), file=sys.stderr)
            return 1
        if gunicorn.process.poll() is not None:
            print("loadtest: gunicorn stopped during the runs.", file=sys.stderr)
            return 1
        return 0
    except RuntimeError as exc:
        print(f"loadtest: {exc}\n{gunicorn.log_tail()}", file=sys.stderr)
        return 1
    finally:
        gunicorn.stop()


def _data_line() -> str:
    from applications.aanvragen.models import Aanvraag, Actie
    from applications.besturen.models import LokaalBestuur, Regieverband
    from applications.oproepen.models import Oproep

    return (
        f"{LokaalBestuur.objects.filter(geldig_tot__isnull=True).count()} besturen,"
        f" {Regieverband.objects.count()} regieverbanden, {Oproep.objects.count()} calls,"
        f" {Aanvraag.objects.count()} aanvragen, {Actie.objects.count()} actions"
    )


if __name__ == "__main__":
    sys.exit(main())
