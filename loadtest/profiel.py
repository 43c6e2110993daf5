"""`python -m loadtest.profiel`: the CPU each key page costs, in one process, without a server.

Run as `bash scripts/with-postgres.sh python -m loadtest.profiel` (an empty, throwaway
PostgreSQL). It builds the load test's data (loadtest.data, `--scale`), then reads each key page
and the empty logged-in page through Django's test client with the sessions of the load test's
users, many times, and prints per page the median CPU time of one request (`time.process_time`,
so other programs on the machine hardly change it) and its ratio to the empty page. With
`--profiel N` it also prints cProfile's top functions (by cumulative and by own time) over N
requests of each page.

The load test measures the same pages on gunicorn (`ratio_to_logged_in`); this script is what one
changes a page against: it needs no server, runs in under a minute and can profile.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m loadtest.profiel", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="size of the data (default 1)")
    parser.add_argument("--keer", type=int, default=200, help="timed requests per page")
    parser.add_argument(
        "--profiel", type=int, default=0, help="also profile this many requests of each page"
    )
    parser.add_argument("--top", type=int, default=25, help="lines of each profile")
    parser.add_argument("--pagina", action="append", help="only this page (name, repeatable)")
    parser.add_argument(
        "--bewaar",
        type=Path,
        help="a folder that keeps the plan and the static files: a second run on the same"
        " database reuses the data instead of building it",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("loadtest.profiel: run it under scripts/with-postgres.sh", file=sys.stderr)
        return 2
    if args.bewaar:
        args.bewaar.mkdir(parents=True, exist_ok=True)
        return _run(args, args.bewaar)
    with tempfile.TemporaryDirectory(prefix="regierol-profiel-") as tmp:
        return _run(args, Path(tmp))


def _run(args: argparse.Namespace, workdir: Path) -> int:
    from .plan import Plan

    plan_path = workdir / "plan.json"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "loadtest.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "loadtest-profiel-only",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_MANIFEST": "1",
            "DJANGO_STATIC_ROOT": str(workdir / "static"),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(workdir / "private"),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "DJANGO_LOG_LEVEL": "WARNING",
            # A kept database is measured again hours later: its sessions must still be valid.
            "REGIEROL_SESSIE_INACTIEF_MINUTEN": "1440",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    from .data import Omvang, build

    if plan_path.exists():
        return _measure(args, Plan.read(plan_path))
    call_command("migrate", verbosity=0, interactive=False)
    plan = build(omvang=Omvang.schaal(args.scale))
    call_command("collectstatic", verbosity=0, interactive=False)
    plan.write(plan_path)
    return _measure(args, plan)


def _measure(args: argparse.Namespace, plan: object) -> int:
    from django.test import Client

    from .paginas import LEGE_PAGINA, LEGE_PAGINA_URL, SLEUTELPAGINAS
    from .plan import Plan

    assert isinstance(plan, Plan)
    regisseur = next(r for r in plan.regisseurs if r.bewerken)
    paginas: list[tuple[str, str, str]] = [
        (LEGE_PAGINA, plan.regisseurs[0].sessie, LEGE_PAGINA_URL)
    ]
    for pagina in SLEUTELPAGINAS:
        if pagina.rol == "regisseur":
            paginas.append(
                (pagina.naam, regisseur.sessie, pagina.pad.format(aanvraag=regisseur.aanvraag))
            )
        else:
            paginas.append(
                (pagina.naam, plan.beoordelaars[0], pagina.pad.format(aanvraag=plan.ingediend[0]))
            )
    if args.pagina:
        paginas = [p for p in paginas if p[0] in args.pagina or p[0] == LEGE_PAGINA]

    resultaten: dict[str, float] = {}
    for naam, sessie, pad in paginas:
        client = Client()
        client.cookies[plan.cookie] = sessie
        for _ in range(5):  # warm caches, templates, connections
            response = client.get(pad)
            if response.status_code != 200:
                print(f"{naam}: {pad} answered {response.status_code}", file=sys.stderr)
                return 1
        tijden = []
        for _ in range(args.keer):
            start = time.process_time()
            client.get(pad)
            tijden.append(time.process_time() - start)
        resultaten[naam] = statistics.median(tijden) * 1000
        if args.profiel:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.profiel):
                client.get(pad)
            profiler.disable()
            for sortering in ("cumulative", "tottime"):
                uit = io.StringIO()
                stats = pstats.Stats(profiler, stream=uit)
                stats.sort_stats(sortering).print_stats(args.top)
                print(f"\n=== {naam} ({pad}), {args.profiel} requests, by {sortering}")
                print(_trim(uit.getvalue()))

    leeg = resultaten[LEGE_PAGINA]
    print(f"\n{'page':40} {'CPU ms':>8} {'ratio':>6}")
    for naam, ms in resultaten.items():
        print(f"{naam:40} {ms:8.2f} {leeg / ms:6.2f}")
    return 0


def _trim(text: str) -> str:
    """pstats' table without its preamble, with the site-packages prefix cut."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    prefix = str(Path(sys.prefix))
    return "\n".join(line.replace(prefix, "") for line in lines[start:] if line.strip())


if __name__ == "__main__":
    sys.exit(main())
