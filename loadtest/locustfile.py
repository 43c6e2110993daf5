"""The load test's users, for locust (`python -m loadtest` starts it; see loadtest.__main__).

- `RegisseurUser`: a regisseur working on the aanvraag of their verband in the open call. Each
  round: the overview, a section saved (texts or contact, with the `versie` the page carried),
  the meerjarenplan, an action changed or added, sometimes the budget. One draft in ten is
  submitted, once, at a random moment between 20 % and 60 % of the run: submitting renders and
  seals the PDF, seconds of CPU, by far the most expensive thing a user does, and three
  submissions a minute is already far above a deadline day's pace. A regisseur whose aanvraag
  is submitted reads it and its follow-up page. With more regisseur users than verbanden, the
  extra ones are colleagues who only read, so no save ever meets a colleague's newer version.
- `BeoordelaarUser`: a WSE reviewer: the review queue (sometimes filtered), the review page of
  aanvragen from the queue, sometimes the coverage and budget overviews and the dashboard.
- `MinimaalUser`: only the minimal view (`/_minimaal/`), the yardstick.
- `LegePaginaUser`: only the empty page of a logged-in regisseur (`/_minimaal/aangemeld/`), the
  floor under every page.
- `PaginaUser`: only one key page (LOADTEST_PAGINA), for its throughput alone.

Every user starts with a session made by the data builder (no login form: django-axes and the
two-step login are not what this measures). Requests are named per page, so the statistics are
per page; redirects are not followed, so a save is timed alone and must answer 302. When the
time is up, requests under way finish and count (locust's --stop-timeout), no new one starts.

Environment: LOADTEST_PLAN (the JSON of loadtest.plan.Plan), LOADTEST_SECONDS (the measured
run, for the submit moments), LOADTEST_BEOORDELAARS (how many of the users are reviewers),
LOADTEST_DENKTIJD (mean seconds between two requests of a user; 0: none), LOADTEST_PAGINA,
LOADTEST_HOSTS (the base URLs of the gunicorn instances, comma-separated),
LOADTEST_GUNICORN_PIDS, LOADTEST_WORKER_PID and LOADTEST_CPU (where to write the CPU used,
loadtest.cpu).

With more than one instance (`--servers 2`) every user sends its requests to the instances in
turn, request by request (`PortaalUser.adres`): a page read on one instance is saved on the
other with the CSRF token and `versie` it carried, a session made by the data builder is used
on both. No proxy sits in front, so nothing but the portal takes the CPU, and no server affinity
could hide a session or a file kept by one instance.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import random
import time
from http.cookiejar import Cookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import gevent
from locust import FastHttpUser, constant, events, task
from locust.contrib.fasthttp import FastResponse
from locust.exception import StopUser
from locust.runners import STATE_CLEANUP, STATE_STOPPED

from loadtest import paginas as p
from loadtest.cpu import CpuUse, Stand, postgres_pid
from loadtest.plan import Plan, RegisseurPlan

PLAN = Plan.read(Path(os.environ["LOADTEST_PLAN"]))
RUN_SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
DENKTIJD = float(os.environ.get("LOADTEST_DENKTIJD", "0"))
INDIENEN_ELKE = 10  # one in ten drafts is submitted during the run

FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}

_regisseur_plaatsen = itertools.count()
_bewerker_plaatsen = itertools.count()  # the users that edit a draft, counted apart
_beoordelaar_plaatsen = itertools.count()

# CPU is read where locust resets its statistics (the ramp-up is over) and where it stops, so
# it covers the same seconds as the requests (see loadtest.cpu).
GUNICORN_PIDS = [int(pid) for pid in os.environ.get("LOADTEST_GUNICORN_PIDS", "").split(",") if pid]
WORKER_PID = int(os.environ.get("LOADTEST_WORKER_PID", "0")) or None
CPU_FILE = os.environ.get("LOADTEST_CPU", "")
POSTGRES_PID = postgres_pid()
_cpu_begin: list[Stand] = []

HOSTS = [host for host in os.environ.get("LOADTEST_HOSTS", "").split(",") if host]
_host_plaatsen = itertools.count()


@events.spawning_complete.add_listener
def _cpu_vanaf(**kwargs: Any) -> None:
    if GUNICORN_PIDS and CPU_FILE:
        _cpu_begin[:] = [Stand.nu(GUNICORN_PIDS, POSTGRES_PID, WORKER_PID)]


@events.test_stop.add_listener
def _cpu_tot(**kwargs: Any) -> None:
    if _cpu_begin:
        einde = Stand.nu(GUNICORN_PIDS, POSTGRES_PID, WORKER_PID)
        CpuUse.tussen(_cpu_begin[0], einde).write(Path(CPU_FILE))


class Adressen:
    """The instances in turn, request by request, each user starting at another one."""

    def __init__(self) -> None:
        start = next(_host_plaatsen) % max(1, len(HOSTS))
        self._hosts = itertools.cycle(HOSTS[start:] + HOSTS[:start])

    def adres(self, pad: str) -> str:
        """The absolute URL of `pad` on the next instance; the path alone with one instance
        (locust's --host)."""
        return f"{next(self._hosts)}{pad}" if len(HOSTS) > 1 else pad


class Mislukt(Exception):
    """A response that is not what the page should answer (already reported as a failure)."""


class PortaalUser(FastHttpUser):
    """A logged-in user of the portal; subclasses say whose session."""

    abstract = True
    wait_time = constant(0)

    def on_start(self) -> None:
        self.adressen = Adressen()

    def zet_sessie(self, sessie: str) -> None:
        host = urlsplit(self.host or "").hostname or "127.0.0.1"
        self.client.cookiejar.set_cookie(
            Cookie(
                version=0,
                name=PLAN.cookie,
                value=sessie,
                port=None,
                port_specified=False,
                domain=host,
                domain_specified=False,
                domain_initial_dot=False,
                path="/",
                path_specified=True,
                secure=False,
                expires=None,
                discard=True,
                comment=None,
                comment_url=None,
                rest={},
            )
        )

    def denk(self) -> None:
        """Before each request: stop once the run is over (the request under way when time ran
        out still finishes and counts, so slow requests are not dropped from the statistics),
        then a user's pause: none by default (the server's capacity is measured), or on average
        DENKTIJD seconds."""
        runner = self.environment.runner
        if runner is not None and runner.state in (STATE_CLEANUP, STATE_STOPPED):
            raise StopUser
        if DENKTIJD > 0:
            gevent.sleep(random.uniform(0, 2 * DENKTIJD))

    def pagina(self, url: str, naam: str) -> str:
        """GET a page that must answer 200 (a redirect to the login page is a failure)."""
        self.denk()
        with self.client.get(
            self.adressen.adres(url), name=naam, allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code} (expected 200)")
                raise Mislukt(naam)
            return r.text or ""

    def opslaan(self, url: str, naam: str, data: dict[str, Any]) -> FastResponse:
        """POST a form that must answer 302 (saved); 200 means the form was refused."""
        self.denk()
        with self.client.post(
            self.adressen.adres(url),
            name=naam,
            data=urlencode(data),
            headers=FORM_HEADERS,
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"status {r.status_code} (expected 302, saved)")
                raise Mislukt(naam)
            return r

    def fout_op_pagina(self, exc: Exception) -> None:
        """A round ends at a failed request (already reported) or at a page that lacks what
        the user needs (reported here); the next round starts afresh."""
        if isinstance(exc, p.NietGevonden):
            self.fout("pagina zonder verwachte inhoud", "GET", str(exc))

    def fout(self, naam: str, methode: str, reden: str) -> None:
        """Report a failure that a status code does not show (e.g. a submission refused)."""
        self.environment.events.request.fire(
            request_type=methode,
            name=naam,
            response_time=0,
            response_length=0,
            response=None,
            context={},
            exception=Mislukt(reden),
        )


class RegisseurUser(PortaalUser):
    weight = 1

    def on_start(self) -> None:
        super().on_start()
        plaats = next(_regisseur_plaatsen)
        self.plan: RegisseurPlan = PLAN.regisseurs[plaats % len(PLAN.regisseurs)]
        # The first user of a verband edits its draft; colleagues beyond the verbanden read.
        self.bewerken = self.plan.bewerken and plaats < len(PLAN.regisseurs)
        self.indienen_om: float | None = None
        # One editing user in ten submits, counted among the drafts still open (a second run
        # after a first one that submitted some still submits).
        if self.bewerken and next(_bewerker_plaatsen) % INDIENEN_ELKE == 0:
            self.indienen_om = time.monotonic() + random.uniform(0.2, 0.6) * RUN_SECONDS
        self.ronde = 0
        self.zet_sessie(self.plan.sessie)
        self.basis = f"/aanvragen/{self.plan.aanvraag}"

    @task
    def ronde_door_de_aanvraag(self) -> None:
        self.ronde += 1
        try:
            if self.ronde % 5 == 1:
                self.pagina("/", p.DASHBOARD)
            overzicht = self.pagina(f"{self.basis}/", p.OVERZICHT)
            if not self.bewerken:
                self.volg_op()
            elif p.kan_indienen(overzicht, self.plan.aanvraag):
                self.bewerk(overzicht)
            else:
                self.bewerken = False
                raise p.NietGevonden("the draft does not offer to submit it")
        except (Mislukt, p.NietGevonden) as exc:
            self.fout_op_pagina(exc)

    def bewerk(self, overzicht: str) -> None:
        if self.ronde % 3 == 0:
            self.sla_contact_op()
        else:
            self.sla_teksten_op()
        plan = self.pagina(f"{self.basis}/meerjarenplan/", p.MEERJARENPLAN)
        acties = p.acties(plan, self.plan.aanvraag)
        if acties and random.random() < 0.75:
            self.wijzig_actie(random.choice(acties))
        else:
            self.voeg_actie_toe(plan)
        if random.random() < 0.3:
            self.pagina(f"{self.basis}/begroting/", p.BEGROTING)
        if self.indienen_om is not None and time.monotonic() >= self.indienen_om:
            self.indienen_om = None
            self.dien_in(overzicht)

    def sla_teksten_op(self) -> None:
        html = self.pagina(f"{self.basis}/teksten/", p.TEKSTEN)
        tekst = f"Loadtesttekst (fictief), ronde {self.ronde}. " * 40
        self.opslaan(
            f"{self.basis}/teksten/",
            p.TEKSTEN,
            {
                "csrfmiddlewaretoken": p.csrf_token(html),
                "versie": p.versie(html),
                "omgevingsanalyse": "Omgevingsanalyse. " + tekst,
                "visie": "Visie. " + tekst,
            },
        )

    def sla_contact_op(self) -> None:
        html = self.pagina(f"{self.basis}/verband/", p.VERBAND)
        self.opslaan(
            f"{self.basis}/verband/",
            p.VERBAND,
            {
                "csrfmiddlewaretoken": p.csrf_token(html),
                "versie": p.versie(html),
                "contact_naam": f"Contactpersoon (fictief) {self.ronde}",
                "contact_functie": "Regisseur (fictief)",
                "contact_email": "contact@loadtest.example.org",
                "contact_telefoon": "011 00 00 00",
            },
        )

    def actie_velden(self, html: str) -> dict[str, str]:
        return {
            "csrfmiddlewaretoken": p.csrf_token(html),
            "titel": f"Actie gewijzigd in ronde {self.ronde} (fictief)",
            "beschrijving": "Loadtesttekst (fictief): wat de actie inhoudt. " * 5,
            "doelgroep": "Werkzoekenden met een afstand tot de arbeidsmarkt",
            "verwacht_resultaat": "Loadtesttekst (fictief): het verwachte resultaat.",
            "indicator": "Aantal deelnemers",
            "partners": "VDAB, OCMW",
            "budget": f"12.{self.ronde % 1000:03d},50",
        }

    def wijzig_actie(self, actie: str) -> None:
        url = f"{self.basis}/acties/{actie}/"
        html = self.pagina(url, p.ACTIE)
        velden = self.actie_velden(html)
        velden |= {
            "versie": p.versie(html),
            "prioriteit": p.gekozen(html, "prioriteit"),
            "jaar": p.gekozen(html, "jaar"),
        }
        self.opslaan(url, p.ACTIE, velden)

    def voeg_actie_toe(self, plan: str) -> None:
        cellen = p.lege_plaatsen(plan)
        if not cellen:
            raise p.NietGevonden("no cell to add an action to")
        prioriteit, jaar = random.choice(cellen)
        url = f"{self.basis}/acties/nieuw/"
        html = self.pagina(f"{url}?prioriteit={prioriteit}&jaar={jaar}", p.ACTIE_NIEUW)
        velden = self.actie_velden(html) | {"versie": "", "prioriteit": prioriteit, "jaar": jaar}
        self.opslaan(url, p.ACTIE_NIEUW, velden)

    def dien_in(self, overzicht: str) -> None:
        # The confirmation step: what will be sent, and the mandate to confirm.
        bevestigen = self.pagina(f"{self.basis}/indienen/", p.INDIENEN_BEVESTIGEN)
        self.opslaan(
            f"{self.basis}/indienen/",
            p.INDIENEN,
            {"csrfmiddlewaretoken": p.csrf_token(bevestigen), "mandaat": "on"},
        )
        # The view redirects whether or not it accepted: the overview tells.
        if p.kan_indienen(self.pagina(f"{self.basis}/", p.OVERZICHT), self.plan.aanvraag):
            self.fout(p.INDIENEN, "POST", "the aanvraag was not submitted")
        self.bewerken = False

    def volg_op(self) -> None:
        self.pagina(f"{self.basis}/opvolging/", p.OPVOLGING)
        self.pagina(f"{self.basis}/meerjarenplan/", p.MEERJARENPLAN)


class BeoordelaarUser(PortaalUser):
    fixed_count = int(os.environ.get("LOADTEST_BEOORDELAARS", "0"))

    def on_start(self) -> None:
        super().on_start()
        plaats = next(_beoordelaar_plaatsen)
        self.zet_sessie(PLAN.beoordelaars[plaats % len(PLAN.beoordelaars)])
        self.ronde = 0

    @task
    def ronde_door_de_wachtrij(self) -> None:
        self.ronde += 1
        try:
            if self.ronde % 5 == 1:
                self.pagina("/", p.DASHBOARD)
            if random.random() < 0.25:
                wachtrij = self.pagina(
                    "/beoordeling/?status=ingediend&sort=verband", p.WACHTRIJ_FILTER
                )
            else:
                wachtrij = self.pagina("/beoordeling/", p.WACHTRIJ)
            aanvragen = p.beoordeling_links(wachtrij) or [str(pk) for pk in PLAN.ingediend]
            for pk in random.sample(aanvragen, min(2, len(aanvragen))):
                self.pagina(f"/beoordeling/{pk}/", p.DETAIL)
            if random.random() < 0.15:
                self.pagina(f"/dekking/{PLAN.oproep}/", p.DEKKING)
            if random.random() < 0.15:
                self.pagina(f"/budget/{PLAN.oproep}/", p.BUDGET)
        except (Mislukt, p.NietGevonden) as exc:
            self.fout_op_pagina(exc)


class MinimaalUser(FastHttpUser):
    """Only the minimal view, without a session: the cost of Django and gunicorn alone."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.adressen = Adressen()

    @task
    def minimaal(self) -> None:
        with self.client.get(
            self.adressen.adres(p.MINIMAAL_URL),
            name=p.MINIMAAL,
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code} (expected 200)")


class LegePaginaUser(PortaalUser):
    """Only the empty logged-in page, with a regisseur's session: what any page costs before
    its own work."""

    def on_start(self) -> None:
        super().on_start()
        plaats = next(_regisseur_plaatsen)
        self.zet_sessie(PLAN.regisseurs[plaats % len(PLAN.regisseurs)].sessie)

    @task
    def lees(self) -> None:
        with contextlib.suppress(Mislukt):  # already reported as a failed request
            self.pagina(p.LEGE_PAGINA_URL, p.LEGE_PAGINA)


class PaginaUser(PortaalUser):
    """Only one key page (LOADTEST_PAGINA), read by a user of the right role."""

    def on_start(self) -> None:
        super().on_start()
        self.sleutel = p.sleutelpagina(os.environ.get("LOADTEST_PAGINA", ""))
        plaats = next(_regisseur_plaatsen)
        if self.sleutel.rol == "regisseur":
            regisseur = PLAN.regisseurs[plaats % len(PLAN.regisseurs)]
            self.zet_sessie(regisseur.sessie)
            aanvraag = regisseur.aanvraag
        else:
            self.zet_sessie(PLAN.beoordelaars[plaats % len(PLAN.beoordelaars)])
            aanvraag = PLAN.ingediend[plaats % len(PLAN.ingediend)]
        self.url = self.sleutel.pad.format(aanvraag=aanvraag)

    @task
    def lees(self) -> None:
        with contextlib.suppress(Mislukt):  # already reported as a failed request
            self.pagina(self.url, self.sleutel.naam)
