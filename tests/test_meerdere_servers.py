"""Two app servers on one PostgreSQL and one file store, as `make loadtest LOADTEST_ARGS="--servers
2"` runs them and as a production deployment with several app servers would (issue 17, "Beyond
one machine"): two real gunicorn instances, started by the load test's own process classes, on
this test's database, and the task worker as a process of its own.

- a session made by logging in on one instance is valid on the other;
- a file uploaded through one instance is served by the other;
- two submissions of one aanvraag at the same moment, one through each instance: one wins, the
  other gets "al ingediend", and there is exactly one sealed version (Indiening);
- the web servers only queue the e-mail of that submission; the separate worker sends it.

The servers see only what this test committed, hence a transactional test (the migrations' data
is restored afterwards for the tests that follow, `serialized_rollback`).
"""

from __future__ import annotations

import http.client
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.utils import timezone
from django_q.models import OrmQ

from applications.aanvragen.models import Aanvraag, Bijlage, Indiening
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.models import User
from applications.berichten.models import Bericht
from loadtest import paginas as p
from loadtest.data import Omvang, build
from loadtest.plan import Plan
from loadtest.processen import Gunicorn, Worker

from .aanvraag_helpers import pdf_bytes
from .servers import server_env

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KLEIN = Omvang(verbanden=4, acties=13, beoordelaars=1)
PASSWORD = "twee-servers-wachtwoord-123"


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[Gunicorn, Gunicorn]]:
    env = server_env(tmp_path)
    started = [
        Gunicorn(
            env=env,
            log=tmp_path / f"gunicorn-{n}.log",
            workers=1,
            worker_class="sync",
            threads=1,
        )
        for n in (1, 2)
    ]
    try:
        for server in started:
            server.wait_until_healthy(timeout=120)
        yield started[0], started[1]
    finally:
        for server in started:
            server.stop()


@dataclass
class Browser:
    """One user's cookies, sent to whichever instance it asks: no server affinity."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        server: Gunicorn,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, dict(response.headers), content

    def get(self, server: Gunicorn, path: str) -> tuple[int, str]:
        status, _headers, content = self.request(server, "GET", path)
        return status, content.decode()

    def post(self, server: Gunicorn, path: str, data: dict[str, str]) -> int:
        status, _headers, _ = self.request(
            server,
            "POST",
            path,
            urlencode(data).encode(),
            "application/x-www-form-urlencoded",
        )
        return status

    def upload(
        self, server: Gunicorn, path: str, data: dict[str, str], name: str, content: bytes
    ) -> int:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in data.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="bestand"; filename="{name}"'
            "\r\nContent-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        status, _headers, _ = self.request(
            server, "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )
        return status


def _regisseur_of(plan: Plan) -> tuple[User, Aanvraag]:
    regisseur_plan = next(r for r in plan.regisseurs if r.bewerken)
    aanvraag = Aanvraag.objects.select_related("regieverband", "oproep").get(
        pk=regisseur_plan.aanvraag
    )
    user = aanvraag.regieverband.regisseurs.get()
    # The servers hash as production does (PBKDF2), not with the suite's fast MD5.
    User.objects.filter(pk=user.pk).update(
        password=make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    )
    return user, aanvraag


def _log_in(browser: Browser, server: Gunicorn, email: str) -> None:
    status, html = browser.get(server, "/accounts/login/")
    assert status == 200
    status = browser.post(
        server,
        "/accounts/login/",
        {"csrfmiddlewaretoken": p.csrf_token(html), "username": email, "password": PASSWORD},
    )
    assert status == 302, "the login was refused"
    assert settings.SESSION_COOKIE_NAME in browser.cookies


def _wait_for(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"not within {seconds:g} s: {what}")


def test_two_instances_share_sessions_files_and_the_submission_lock_and_the_worker_sends(
    servers: tuple[Gunicorn, Gunicorn], tmp_path: Path
) -> None:
    een, twee = servers
    plan = build(omvang=KLEIN)
    user, aanvraag = _regisseur_of(plan)
    overzicht = f"/aanvragen/{aanvraag.pk}/"

    # A session made by logging in on one instance is valid on the other.
    browser = Browser()
    assert browser.get(twee, overzicht)[0] == 302  # not logged in yet: to the login page
    _log_in(browser, een, user.email)
    status, html = browser.get(twee, overzicht)
    assert status == 200
    assert aanvraag.referentie in html

    # A file uploaded through one instance is served by the other.
    status, html = browser.get(twee, f"/aanvragen/{aanvraag.pk}/bijlagen/")
    assert status == 200
    bijlagetype = aanvraag.oproep.bijlagetypes.filter(per_lid=False).order_by("pk").first()
    assert bijlagetype is not None
    inhoud = pdf_bytes(pages=2)
    voor = set(Bijlage.objects.filter(aanvraag=aanvraag).values_list("pk", flat=True))
    status = browser.upload(
        een,
        f"/aanvragen/{aanvraag.pk}/bijlagen/",
        {"csrfmiddlewaretoken": p.csrf_token(html), "bijlagetype": str(bijlagetype.pk)},
        "over-twee-servers.pdf",
        inhoud,
    )
    assert status == 302, "the upload was refused"
    nieuw = Bijlage.objects.filter(aanvraag=aanvraag).exclude(pk__in=voor).get()
    status, _headers, gediend = browser.request(
        twee, "GET", f"/aanvragen/{aanvraag.pk}/bijlagen/{nieuw.pk}/"
    )
    assert status == 200
    assert gediend == inhoud

    # Two submissions at the same moment, one through each instance: one sealed version.
    status, html = browser.get(een, f"/aanvragen/{aanvraag.pk}/indienen/")
    assert status == 200
    velden = {"csrfmiddlewaretoken": p.csrf_token(html), "mandaat": "on"}
    antwoorden: dict[str, int] = {}
    start = threading.Barrier(2)
    voor_indienen = timezone.now()

    def dien_in(naam: str, server: Gunicorn) -> None:
        start.wait()
        antwoorden[naam] = browser.post(server, f"/aanvragen/{aanvraag.pk}/indienen/", velden)

    threads = [threading.Thread(target=dien_in, args=(n, s)) for n, s in (("1", een), ("2", twee))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert antwoorden == {"1": 302, "2": 302}  # the loser gets the overview, not an error
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.INGEDIEND
    assert Indiening.objects.filter(aanvraag=aanvraag).count() == 1
    assert aanvraag.statuswijzigingen.filter(naar=AanvraagStatus.INGEDIEND).count() == 1

    # The web servers queued the confirmation e-mail; only the worker sends it.
    berichten = Bericht.objects.filter(aangemaakt_op__gte=voor_indienen)
    assert berichten.exists()
    time.sleep(2)
    assert set(berichten.values_list("status", flat=True)) == {Bericht.Status.IN_WACHTRIJ}
    assert OrmQ.objects.exists()
    worker = Worker(env=server_env(tmp_path), log=tmp_path / "worker.log")
    try:
        _wait_for(
            lambda: set(berichten.values_list("status", flat=True)) == {Bericht.Status.VERSTUURD},
            90,
            "the worker sent the confirmation",
        )
        assert worker.process.poll() is None
    finally:
        worker.stop()
    for server in servers:
        assert server.process.poll() is None, server.log_tail()
