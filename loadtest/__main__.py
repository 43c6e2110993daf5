"""`python -m loadtest`: the portal under 50 concurrent users (issues 7 and 17).

Run by `make loadtest` as `bash scripts/with-postgres.sh python -m loadtest`: DATABASE_URL points
at an empty, throwaway PostgreSQL. In that one database it

1. migrates, builds Flanders-scale data (loadtest.data: 285 besturen, 40 regieverbanden, 3 calls,
   120 aanvragen with 60 actions each, sessions for 40 regisseurs and 8 reviewers) and collects
   the static files into a temporary STATIC_ROOT (whitenoise, hashed and compressed names);
2. starts `--servers` gunicorn instances (default 1) with `--workers` workers each (default 2)
   on 127.0.0.1:<free port>, debug off, settings `loadtest.settings` (the portal's, plus
   `/_minimaal/`), all on the one database and one private-file folder, and the task worker
   (`manage.py qcluster`, one process of its own, as in production), and waits for /healthz;
3. runs locust headless (loadtest.locustfile), each run ramping up at 10 users a second, then
   resetting its statistics and measuring for the given time. Two scenarios, both by default
   (`--alleen denktijd` or `--alleen zonder-denktijd` runs one):
   - without think time: the mix (50 users, one in five a WSE reviewer: queue, review pages,
     coverage, budget; the others regisseurs: sections saved with the right `versie`,
     meerjarenplan, actions changed and added, some aanvragen submitted) for `--seconds` (60);
     the minimal view (`/_minimaal/`) for the same time; an empty page for a logged-in
     regisseur (`/_minimaal/aangemeld/`: session, account, roles and the base template, the
     floor under every page) for a quarter of that time (at least 10 s); and each key page alone
     (loadtest.paginas.SLEUTELPAGINAS) for the same quarter;
   - with think time (the deadline hour): the same mix, each user pausing on average `--think`
     (5) seconds before each request, on the drafts that are still drafts;
4. prints per page requests, req/s, p50/p95/p99 latency and failures; the throughput ratios with
   gunicorn's CPU milliseconds per request (a cost that other programs on the machine hardly
   change, unlike latency); the CPU that gunicorn, PostgreSQL, the worker, locust and the rest of
   the machine used; and a verdict per target of issue 17: no error; with think time p95 under
   150 ms on every page and under 1.5 s for the submission; each key page alone at least half
   the throughput of the empty logged-in page;
5. writes the same figures to loadtest/results.json (`--json` elsewhere;
   loadtest.report.Report.results_json says what is in it).

The exit status is non-zero only on errors (failed requests: a 5xx, a refused save, a lost
session; or a process that did not start), never because a page was slow.

Choices:

- Two scenarios. Without think time each user sends its next request as soon as the previous
  answer arrives, so the 50 users keep the server saturated and req/s is the portal's capacity
  on this machine; a throughput ratio means nothing otherwise (with think time every run would
  show the users' pace, not the server's). Latency then follows from capacity (Little's law:
  mean latency = users / req/s), so it is reported, not judged. With think time (`--think S`,
  a random pause of 0 to 2S seconds before each request) the latency is what a user feels in
  the deadline hour; that run is judged on p95. The minimal view, the empty logged-in page and
  the key pages alone run without think time, in the first scenario.
- `--servers 2`: the instances share everything a user needs (sessions, locks and the queue in
  PostgreSQL, files in one folder standing in for the S3 bucket); each locust user sends its
  requests to them in turn, request by request, so a session, a CSRF token and a `versie`
  obtained from one instance are used on the other. No proxy in front: on two cores a proxy
  would take CPU from the portal and add a hop to every request, and alternating from the
  client already spreads the load evenly and rules out any server affinity.
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
import datetime
import json
import os
import platform
import secrets
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench.argtypes import positive_float, positive_int

DEFAULT_USERS = 50
DEFAULT_SECONDS = 60
DEFAULT_THINK = 5.0
SPAWN_RATE = 10.0
WORKERS = 2
THREADS = 4
REVIEWER_SHARE = 5  # one user in five is a WSE reviewer
DENKTIJD = "denktijd"
ZONDER_DENKTIJD = "zonder-denktijd"
RESULTS_JSON = Path(__file__).with_name("results.json")


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
        type=positive_float,
        default=DEFAULT_THINK,
        help="mean pause in seconds before each request of a user in the scenario with think"
        f" time (default {DEFAULT_THINK:g})",
    )
    parser.add_argument(
        "--alleen",
        choices=(ZONDER_DENKTIJD, DENKTIJD),
        help="run one scenario only: without think time (the mix, the minimal view, the empty"
        " logged-in page and the key pages alone) or with it (the mix); default both",
    )
    parser.add_argument(
        "--servers",
        type=positive_int,
        default=1,
        help="gunicorn instances on the one database and file folder; users send their"
        " requests to them in turn (default 1)",
    )
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=WORKERS,
        help=f"gunicorn workers per instance (default {WORKERS})",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=RESULTS_JSON,
        metavar="PATH",
        help="where to write the results as JSON (default loadtest/results.json)",
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
        # Each instance's /metrics says how many requests it answered (its own
        # PROMETHEUS_MULTIPROC_DIR, set per instance).
        "REGIEROL_METRICS_TOKEN": secrets.token_urlsafe(32),
        # The confirmation e-mail of a submission is composed, then dropped: no SMTP server here.
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def _postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    return str(row[0]) if row else "?"


def environment_line(args: argparse.Namespace) -> str:
    workers = f"{args.workers} {args.worker_class} workers" + (
        f" x {THREADS} threads" if args.worker_class == "gthread" else ""
    )
    servers = f"{args.servers} instances x " if args.servers > 1 else ""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"Python {platform.python_version()}, Django {version('django')}, PostgreSQL"
        f" {_postgres_version()}, gunicorn {version('gunicorn')} ({servers}{workers}), task"
        f" worker apart, locust {version('locust')}; {os.cpu_count()} cores, load average"
        f" before the runs {load}"
    )


def environment_json(args: argparse.Namespace) -> dict[str, Any]:
    """The settings and versions of the run, for loadtest/results.json."""
    return {
        "time_utc": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "users": args.users,
        "seconds": args.seconds,
        "scale": args.scale,
        "think_s": args.think,
        "scenarios": [args.alleen] if args.alleen else [ZONDER_DENKTIJD, DENKTIJD],
        "servers": args.servers,
        "workers_per_server": args.workers,
        "worker_class": args.worker_class,
        "python": platform.python_version(),
        "django": version("django"),
        "postgresql": _postgres_version(),
        "gunicorn": version("gunicorn"),
        "locust": version("locust"),
        "cpu_count": os.cpu_count(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }


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

    from .data import Omvang, build

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
        f"Load test: {args.users} users, without think time and with on average"
        f" {args.think:g} s between requests"
        if not args.alleen
        else f"Load test: {args.users} users without think time"
        if args.alleen == ZONDER_DENKTIJD
        else f"Load test: {args.users} users, on average {args.think:g} s between requests",
        environment_line(args),
        f"Data: {_data_line()}; migrate {migrated - started:.1f} s, data"
        f" {built - migrated:.1f} s, collectstatic {collected - built:.1f} s",
    ]
    connection.close()
    return _serve_and_measure(args, workdir, env, plan_path, heading)


def _serve_and_measure(
    args: argparse.Namespace,
    workdir: Path,
    env: dict[str, str],
    plan_path: Path,
    heading: list[str],
) -> int:
    """Start the servers and the worker, run the scenarios, report, stop everything."""
    from django.db import connection

    from .cpu import CpuUse
    from .data import bijwerken
    from .paginas import SLEUTELPAGINAS
    from .plan import Plan
    from .processen import Gunicorn, LocustRun, Worker
    from .report import Report, Run

    servers = [
        Gunicorn(
            env={**os.environ, **env, "PROMETHEUS_MULTIPROC_DIR": str(_metrics_dir(workdir, n))},
            log=workdir / f"gunicorn-{n}.log",
            workers=args.workers,
            worker_class=args.worker_class,
            threads=THREADS,
        )
        for n in range(1, args.servers + 1)
    ]
    worker = Worker(env={**os.environ, **env}, log=workdir / "worker.log")
    try:
        for server in servers:
            server.wait_until_healthy()
        reviewers = max(1, args.users // REVIEWER_SHARE) if args.users > 1 else 0
        locust_env = {
            "LOADTEST_PLAN": str(plan_path),
            "LOADTEST_SECONDS": str(args.seconds),
            "LOADTEST_BEOORDELAARS": str(reviewers),
            "LOADTEST_DENKTIJD": "0",
        }

        def measure(titel: str, locust_run: LocustRun) -> Run:
            print(f"loadtest: {titel} ...", file=sys.stderr, flush=True)
            result = locust_run.run(
                hosts=[server.url for server in servers],
                gunicorn_pids=[server.process.pid for server in servers],
                worker_pid=worker.process.pid,
                workdir=workdir,
            )
            if not Path(f"{result.prefix}_stats.csv").exists():
                log = result.log.read_text(errors="replace")
                raise RuntimeError(f"locust wrote no statistics for {titel}:\n{log}")
            return Run.read(titel, result.prefix, CpuUse.read(result.cpu), result.exit_status)

        def mix(naam: str, titel: str, denktijd: float) -> Run:
            return measure(
                titel,
                LocustRun(
                    naam,
                    ["RegisseurUser", "BeoordelaarUser"],
                    args.users,
                    SPAWN_RATE,
                    args.seconds,
                    {**locust_env, "LOADTEST_DENKTIJD": f"{denktijd:g}"},
                ),
            )

        regisseurs = args.users - reviewers
        key_seconds = max(10, args.seconds // 4)
        zonder = args.alleen != DENKTIJD
        met = args.alleen != ZONDER_DENKTIJD
        mix_zonder = (
            mix(
                "mix",
                f"Mix without think time: {regisseurs} regisseurs, {reviewers} reviewers,"
                f" {args.seconds} s",
                0.0,
            )
            if zonder
            else None
        )
        minimaal = measure(
            f"Minimal view: {args.users} users, {args.seconds} s",
            LocustRun(
                "minimaal", ["MinimaalUser"], args.users, SPAWN_RATE, args.seconds, locust_env
            ),
        )
        leeg = (
            measure(
                f"Empty logged-in page: {args.users} users, {key_seconds} s",
                LocustRun(
                    "leeg", ["LegePaginaUser"], args.users, SPAWN_RATE, key_seconds, locust_env
                ),
            )
            if zonder
            else None
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
            if zonder
        ]
        mix_met = None
        if met:
            # Drafts submitted in the first scenario are followed up now, not edited.
            bijwerken(Plan.read(plan_path)).write(plan_path)
            connection.close()
            mix_met = mix(
                "mix-denktijd",
                f"Mix with think time (on average {args.think:g} s): {regisseurs} regisseurs,"
                f" {reviewers} reviewers, {args.seconds} s",
                args.think,
            )
        report = Report(
            heading=heading,
            minimaal=minimaal,
            mix=mix_zonder,
            mix_denktijd=mix_met,
            denktijd=args.think,
            leeg=leeg,
            sleutel=sleutel,
            instances=[server.metrics(env["REGIEROL_METRICS_TOKEN"]) for server in servers],
        )
        print(report.render())
        figures = report.results_json({"environment": environment_json(args)})
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"\nloadtest: results written to {args.json}")
        if report.failures:
            for server in servers:
                print(f"\nLast lines of {server.log.name}:\n{server.log_tail()}", file=sys.stderr)
            return 1
        if any(server.process.poll() is not None for server in servers):
            print("loadtest: a gunicorn instance stopped during the runs.", file=sys.stderr)
            return 1
        return 0
    except RuntimeError as exc:
        tails = "\n".join(server.log_tail() for server in servers)
        print(f"loadtest: {exc}\n{tails}", file=sys.stderr)
        return 1
    finally:
        worker.stop()
        for server in servers:
            server.stop()


def _metrics_dir(workdir: Path, n: int) -> Path:
    """An empty directory per instance for its workers' metrics (prometheus-client)."""
    path = workdir / f"metrics-{n}"
    path.mkdir()
    return path


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
