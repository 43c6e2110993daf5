"""The e-mail outbox and the worker: an e-mail is queued with the change it is about, sent by the
worker, retried with growing waits when the mail server fails, shown to staff as "in wachtrij",
"verstuurd" or "mislukt: reden", and tried again on a beheerder's click. "Wachtwoord vergeten"
does the same work for known and unknown addresses."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_q.models import OrmQ, Schedule

from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.beheer.models import Uitnodiging
from applications.beheer.services import gebruiker_uitnodigen
from applications.berichten import services
from applications.berichten.models import Bericht

from ..conftest import client_for

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]


class KapotteMailserver(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("Verbinding met de mailserver geweigerd")


def _invite(beheerder: User, email: str = "nieuw@gemeente.be") -> Uitnodiging:
    return gebruiker_uitnodigen(
        email=email,
        first_name="Nina",
        last_name="Nieuw",
        rol=Rol.BEOORDELAAR,
        regieverbanden=[],
        by=beheerder,
    ).uitnodiging


def _bericht_van(uitnodiging: Uitnodiging) -> Bericht:
    assert uitnodiging.bericht_id is not None
    return Bericht.objects.get(pk=uitnodiging.bericht_id)


def _queue(**kwargs: Any) -> Bericht:
    bericht = services.queue_email(
        subject="Test",
        template="beheer/emails/uitnodiging",
        context={"gebruiker": None, "rollen": [], "verbanden": [], "uitnodiging": None, "url": "x"},
        to=["iemand@gemeente.be"],
        **kwargs,
    )
    assert bericht is not None
    return bericht


@pytest.mark.echte_wachtrij
def test_an_invitation_waits_in_the_queue_until_the_worker_sends_it(beheerder: User) -> None:
    uitnodiging = _invite(beheerder)
    bericht = _bericht_van(uitnodiging)
    assert bericht.status == Bericht.Status.IN_WACHTRIJ
    assert bericht.aan == ["nieuw@gemeente.be"]
    assert OrmQ.objects.count() == 1, "one task for the worker"
    assert mail.outbox == [], "nothing is sent inside the request"

    services.verstuur(bericht.pk)  # what the worker's task does

    bericht.refresh_from_db()
    assert bericht.status == Bericht.Status.VERSTUURD
    assert bericht.verstuurd_op is not None
    assert len(mail.outbox) == 1 and "/accounts/uitnodiging/" in str(mail.outbox[0].body)
    assert bericht.tekst == "" and bericht.html == "", "the secret link is not kept once sent"
    services.verstuur(bericht.pk)
    assert len(mail.outbox) == 1, "a second task for the same message sends nothing"


@pytest.mark.echte_wachtrij
def test_an_e_mail_of_a_rolled_back_change_never_exists(beheerder: User) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        _invite(beheerder)
        raise RuntimeError("de wijziging mislukt")
    assert not Bericht.objects.exists()
    assert not OrmQ.objects.exists()


def test_a_failing_mail_server_is_retried_with_growing_waits_then_shown_as_failed(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.KapotteMailserver"
    settings.BERICHTEN_MAX_POGINGEN = 3
    with django_capture_on_commit_callbacks(execute=True):
        bericht = _queue()  # the worker tries at once
    bericht.refresh_from_db()
    assert bericht.status == Bericht.Status.IN_WACHTRIJ
    assert bericht.pogingen == 1
    assert "geweigerd" in bericht.laatste_fout
    assert "poging 1 mislukt" in bericht.status_tekst
    assert bericht.volgende_poging - timezone.now() > datetime.timedelta(seconds=50)

    assert services.wachtende_versturen() == 0, "not due yet"
    Bericht.objects.filter(pk=bericht.pk).update(volgende_poging=timezone.now())
    assert services.wachtende_versturen() == 1
    bericht.refresh_from_db()
    assert bericht.pogingen == 2
    assert bericht.volgende_poging - timezone.now() > datetime.timedelta(seconds=110)

    Bericht.objects.filter(pk=bericht.pk).update(volgende_poging=timezone.now())
    services.wachtende_versturen()
    bericht.refresh_from_db()
    assert bericht.status == Bericht.Status.MISLUKT
    assert bericht.status_tekst.startswith("mislukt: ConnectionRefusedError")
    assert bericht.tekst, "a failed message keeps its text for the next try"
    assert services.wachtende_versturen() == 0, "a failed message waits for a beheerder"
    assert mail.outbox == []


def test_waits_double_up_to_a_day() -> None:
    assert [services.wachttijd(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert services.wachttijd(30) == datetime.timedelta(days=1)


def test_the_users_page_shows_a_failed_invitation_and_a_beheerder_tries_again(
    beheerder: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.KapotteMailserver"
    settings.BERICHTEN_MAX_POGINGEN = 1
    with django_capture_on_commit_callbacks(execute=True):
        uitnodiging = _invite(beheerder, "pech@gemeente.be")
    client = client_for(beheerder)

    pagina = client.get("/beheer/gebruikers/").content.decode()
    assert "e-mail: mislukt: ConnectionRefusedError" in pagina
    assert "E-mail opnieuw proberen" in pagina

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        antwoord = client.post(f"/beheer/e-mails/{uitnodiging.bericht_id}/opnieuw/", follow=True)
    assert "staat opnieuw in de wachtrij" in antwoord.content.decode()
    bericht = _bericht_van(uitnodiging)
    assert bericht.status == Bericht.Status.VERSTUURD
    assert [m.to for m in mail.outbox] == [["pech@gemeente.be"]]
    assert "e-mail: verstuurd" in client.get("/beheer/gebruikers/").content.decode()


def test_trying_again_a_message_that_did_not_fail_changes_nothing(
    beheerder: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        bericht = _queue()
    bericht.refresh_from_db()
    assert bericht.status == Bericht.Status.VERSTUURD
    assert services.opnieuw_proberen(bericht) is False
    assert len(mail.outbox) == 1


def test_the_e_mail_list_in_beheer_retries_with_an_action(
    beheerder: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.KapotteMailserver"
    settings.BERICHTEN_MAX_POGINGEN = 1
    with django_capture_on_commit_callbacks(execute=True):
        bericht = _queue()
    client = client_for(beheerder)
    lijst = client.get("/beheer/berichten/bericht/").content.decode()
    assert "mislukt: ConnectionRefusedError" in lijst
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/beheer/berichten/bericht/",
            {"action": "opnieuw_proberen", "_selected_action": [bericht.pk]},
        )
    bericht.refresh_from_db()
    assert bericht.status == Bericht.Status.VERSTUURD
    detail = client.get(f"/beheer/berichten/bericht/{bericht.pk}/change/")
    assert detail.status_code == 200 and b'name="onderwerp"' not in detail.content, "read only"


@pytest.mark.echte_wachtrij
@pytest.mark.parametrize("email", ["alice@example.org", "niemand@example.org"])
def test_password_reset_does_the_same_work_for_known_and_unknown_addresses(
    regisseur: User, email: str
) -> None:
    """The request only queues the address; which queries it runs does not depend on whether an
    account has it, and no e-mail is rendered or sent inside it."""
    client = client_for(None)
    with CaptureQueriesContext(connection) as queries:
        antwoord = client.post("/accounts/password_reset/", {"email": email})
    assert antwoord.status_code == 302
    schrijven = [q["sql"].split(" ")[0:3] for q in queries.captured_queries]
    assert schrijven == [["INSERT", "INTO", '"django_q_ormq"']], schrijven
    assert not Bericht.objects.exists() and mail.outbox == []


@pytest.mark.echte_wachtrij
def test_the_worker_mails_a_reset_link_only_to_an_existing_account(regisseur: User) -> None:
    from applications.accounts.services import wachtwoord_reset_mailen

    assert wachtwoord_reset_mailen("niemand@example.org") == 0
    assert wachtwoord_reset_mailen("alice@example.org") == 1
    bericht = Bericht.objects.get()
    assert bericht.vertrouwelijk and bericht.aan == ["alice@example.org"]
    services.verstuur(bericht.pk)
    assert "/accounts/reset/" in str(mail.outbox[0].body)
    assert settings.SITE_URL.rstrip("/") in str(mail.outbox[0].body)


def test_migrate_sets_up_the_schedules() -> None:
    """What cron did before: the worker's schedules exist after `migrate`."""
    namen = set(Schedule.objects.values_list("name", flat=True))
    assert {
        "berichten: wachtende e-mails versturen",
        "aanvragen: herinneringen voor de deadline",
        "besturen: trekkerwissels toepassen",
        "uitvoering: herinneringen voor de opvolgmomenten",
    } <= namen


@pytest.mark.echte_wachtrij
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_real_worker_process_sends_a_queued_invitation(beheerder: User) -> None:
    """`manage.py qcluster`, as `make run` and production start it, takes the task from the
    database and sends the e-mail (the console backend prints it)."""
    uitnodiging = _invite(beheerder, "echt@gemeente.be")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{quote(db['HOST'], safe='')}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "REGIEROL_WORKERS": "1",
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _ in range(600):  # waits for the worker, at most a minute; not a timing assertion
            bericht = _bericht_van(uitnodiging)
            if bericht.status != Bericht.Status.IN_WACHTRIJ or worker.poll() is not None:
                break
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGINT)  # Ctrl+C, as `make run` stops it
        try:
            uitvoer = worker.communicate(timeout=20)[0].decode()
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            uitvoer = worker.communicate()[0].decode()
    assert bericht.status == Bericht.Status.VERSTUURD, uitvoer
    assert "To: echt@gemeente.be" in uitvoer
