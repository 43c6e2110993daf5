"""WSE's queue and review page kept per version: on a GET their body comes from the cache as
long as nothing they show changed, whoever changed it (`versietellers.stand`,
`met_oproepstand`, the user's visits), while the frame, the messages and the CSRF tokens are
made for each request. A visit that finds nothing new is not written down, so reading keeps
both pages kept."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.aanvragen.models import Aanvraag, Statuswijziging, Verlenging
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.versietellers import REFERENTIE, onderdelen
from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.beoordeling.models import (
    Advies,
    Bekeken,
    Beoordeling,
    BeoordelingConcept,
    Beslissing,
    Beslissingsvoorstel,
    Notitie,
    Score,
    Vraag,
)
from applications.beoordeling.selectors import dossier
from applications.beoordeling.services import (
    aanvraag_bekeken,
    aanvraag_decide,
    beoordeling_concept_save,
    beoordeling_save,
    beslissing_voorstellen,
    notitie_add,
    vraag_beantwoorden,
    vraag_stellen,
)
from applications.beoordeling.views import review
from applications.besturen.models import Regieverband
from applications.oproepen.models import Oproep

from ..conftest import client_for
from ..factories import AanvraagFactory, RegieverbandFactory, UserFactory

pytestmark = pytest.mark.django_db

# Read for every request, kept or not: the session, the user with their roles and second factor,
# the maintenance notice in the page's frame.
PER_VERZOEK = (
    'FROM "django_session"',
    'FROM "accounts_user" WHERE "accounts_user"."id" =',
    'FROM "auth_group" INNER JOIN "accounts_user_groups"',
    'FROM "otp_',
    'FROM "beheer_onderhoudsmelding"',
)

# What the keys follow: the counters (the review's tables included), users' names, roles and
# active flag (the reference counter), and the user's own visits (in the key as they are). The
# roles themselves (`auth_group`) are made by a migration and looked up by name, never renamed.
GEVOLGD = {
    "aanvragen_aanvraag",
    "aanvragen_referentieversie",
    "accounts_user",
    "auth_group",
    "beoordeling_bekeken",
    *onderdelen(),
    *REFERENTIE,
}


def _review_input(oproep: Oproep, score: int) -> dict[str, Any]:
    return {
        "scores": {p.pk: (score, f"Motivatie {p.code} {score}") for p in oproep.prioriteiten.all()},
        "advies": Advies.GOEDKEUREN,
        "motivatie": f"Advies met score {score}",
        "bedragen": {jaar: Decimal("100000.00") for jaar in oproep.jaren},
    }


@pytest.fixture
def in_behandeling(verband: Regieverband, oproep: Oproep, beoordelaar: User) -> Aanvraag:
    return AanvraagFactory.create(
        regieverband=verband,
        oproep=oproep,
        in_behandeling=True,
        ingediend_op=oproep.deadline - datetime.timedelta(days=3),
        behandelaar=beoordelaar,
    )


@pytest.fixture
def volledig(in_behandeling: Aanvraag, beoordelaar: User, regisseur: User) -> Aanvraag:
    """A dossier with every part the review page shows: an answered and an open question, a
    review with its scores, a note, a draft, a proposed decision, an extension, a status step,
    and a decision elsewhere in the call (made before the call asked for a second reviewer)."""
    _elders_goedgekeurd(in_behandeling.oproep, beoordelaar)
    Oproep.objects.filter(pk=in_behandeling.oproep_id).update(vier_ogen=True)
    aanvraag = Aanvraag.objects.select_related("oproep").get(pk=in_behandeling.pk)
    vraag = vraag_stellen(aanvraag=aanvraag, by=beoordelaar, tekst="Welke partners?")
    vraag_beantwoorden(vraag=vraag, by=regisseur, antwoord="VDAB en het OCMW.")
    vraag_stellen(aanvraag=aanvraag, by=beoordelaar, tekst="Welk budget voor 2024?")
    collega = UserFactory.create(beoordelaar=True)
    beoordeling_save(aanvraag=aanvraag, by=collega, **_review_input(aanvraag.oproep, 3))
    beoordeling_concept_save(aanvraag=aanvraag, by=beoordelaar, gegevens={"motivatie": "Half"})
    notitie_add(aanvraag=aanvraag, by=beoordelaar, tekst="Bel de trekker.")
    beslissing_voorstellen(
        aanvraag=aanvraag,
        by=beoordelaar,
        uitkomst=AanvraagStatus.AFGEWEZEN,
        motivatie="Onvoldoende onderbouwd.",
    )
    Verlenging.objects.create(aanvraag=aanvraag, tot=aanvraag.oproep.deadline, reden="Ziekte")
    Statuswijziging.objects.create(
        aanvraag=aanvraag, van=AanvraagStatus.INGEDIEND, naar=AanvraagStatus.IN_BEHANDELING
    )
    return Aanvraag.objects.get(pk=aanvraag.pk)


def _elders_goedgekeurd(oproep: Oproep, beoordelaar: User) -> Aanvraag:
    ander = AanvraagFactory.create(
        regieverband=RegieverbandFactory.create(naam="Elders"),
        oproep=oproep,
        in_behandeling=True,
        ingediend_op=oproep.deadline - datetime.timedelta(days=2),
        behandelaar=beoordelaar,
    )
    aanvraag_decide(
        aanvraag=ander,
        by=UserFactory.create(beoordelaar=True),
        uitkomst=AanvraagStatus.GOEDGEKEURD,
        motivatie="In orde.",
        bedragen={jaar: Decimal("12345.00") for jaar in oproep.jaren},
    )
    return ander


def _html(client: Client, pad: str) -> str:
    response = client.get(pad)
    assert response.status_code == 200
    return response.content.decode()


def _eigen_queries(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if not any(p in q["sql"] for p in PER_VERZOEK)
    ]


def _gelezen(queries: CaptureQueriesContext) -> set[str]:
    return {
        tabel
        for sql in _eigen_queries(queries)
        for tabel in re.findall(r'(?:FROM|JOIN) "([a-z_]+)"', sql)
    }


def _detail(aanvraag: Aanvraag) -> str:
    return f"/beoordeling/{aanvraag.pk}/"


def _wachtrij(aanvraag: Aanvraag) -> str:
    return f"/beoordeling/?oproep={aanvraag.oproep.slug}"


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


# --- What the pages read --------------------------------------------------------------------


@pytest.mark.parametrize("wie", ["beoordelaar", "beheerder"])
def test_the_review_page_reads_only_what_its_key_follows(
    volledig: Aanvraag, wie: str, request: pytest.FixtureRequest
) -> None:
    """Drawn anew, the page may read only what raises its key; else it would show stale data
    until something else changed. Every part shows."""
    client = client_for(request.getfixturevalue(wie))
    with CaptureQueriesContext(connection) as queries:
        html = _html(client, _detail(volledig))
    for deel in ("VDAB en het OCMW.", "Advies met score 3", "Onvoldoende onderbouwd.", "Ziekte"):
        assert deel in html
    gelezen = _gelezen(queries)
    assert {"beoordeling_score", "beoordeling_beslissing", "beoordeling_notitie"} <= gelezen
    assert gelezen <= GEVOLGD, sorted(gelezen - GEVOLGD)


def test_the_queue_reads_only_what_its_key_follows(volledig: Aanvraag, beoordelaar: User) -> None:
    client = client_for(beoordelaar)
    _html(client, _detail(volledig))  # a visit, so "new since" has something to compare
    with CaptureQueriesContext(connection) as queries:
        html = _html(client, _wachtrij(volledig))
    assert volledig.regieverband.naam in html and "Voorstel wacht op bevestiging" in html
    gelezen = _gelezen(queries)
    assert {"beoordeling_bekeken", "beoordeling_beslissingsvoorstel"} <= gelezen
    assert gelezen <= GEVOLGD, sorted(gelezen - GEVOLGD)


# --- Kept ----------------------------------------------------------------------------------------


def test_the_review_page_is_drawn_once_and_kept_while_nothing_is_new(
    volledig: Aanvraag, beoordelaar: User
) -> None:
    client = client_for(beoordelaar)
    eerst = _html(client, _detail(volledig))  # the first visit is drawn and written down
    eerste_bezoek = Bekeken.objects.get(gebruiker=beoordelaar).op
    # The next visit asks once whether anything is new since that one: nothing, so the page
    # drawn for the first visit serves (nothing on it depends on when they last looked).
    with CaptureQueriesContext(connection) as tweede:
        daarna = _html(client, _detail(volledig))
    assert len(_eigen_queries(tweede)) == 2, _eigen_queries(tweede)
    # Then the versions, the call, the previous visit and who may see it, in one query.
    with CaptureQueriesContext(connection) as derde:
        _html(client, _detail(volledig))
    assert len(_eigen_queries(derde)) == 1, _eigen_queries(derde)
    assert TOKEN.sub("", eerst) == TOKEN.sub("", daarna)
    assert TOKEN.findall(eerst) != TOKEN.findall(daarna)  # a token per response
    # A visit that found nothing new is not written down.
    assert Bekeken.objects.get(gebruiker=beoordelaar).op == eerste_bezoek


def test_the_queue_is_kept_while_reviewers_only_read(volledig: Aanvraag, beoordelaar: User) -> None:
    client = client_for(beoordelaar)
    _html(client, _detail(volledig))
    eerst = _html(client, _wachtrij(volledig))
    _html(client, _detail(volledig))  # reading again changes nothing
    with CaptureQueriesContext(connection) as queries:
        daarna = _html(client, _wachtrij(volledig))
    # The state of all aanvragen, and of my visits.
    assert len(_eigen_queries(queries)) == 2, _eigen_queries(queries)
    assert TOKEN.sub("", eerst) == TOKEN.sub("", daarna)  # the frame's language form has one


def test_a_form_of_a_kept_review_page_saves(volledig: Aanvraag, beoordelaar: User) -> None:
    client = client_for(beoordelaar)
    client.handler.enforce_csrf_checks = True
    for _ in range(3):
        html = _html(client, _detail(volledig))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None
    response = client.post(
        f"/beoordeling/{volledig.pk}/notitie/",
        {"csrfmiddlewaretoken": token.group(1), "notitie-tekst": "Na de vergadering."},
    )
    assert response.status_code == 302
    assert "Na de vergadering." in _html(client, _detail(volledig))


# --- Written past the services, seen on the next view -------------------------------------------


def _score_anders(aanvraag: Aanvraag) -> str:
    Score.objects.filter(beoordeling__aanvraag=aanvraag).update(motivatie="Herzien door import")
    return "Herzien door import"


def _beoordeling_anders(aanvraag: Aanvraag) -> str:
    Beoordeling.objects.filter(aanvraag=aanvraag).update(motivatie="Advies herschreven")
    return "Advies herschreven"


def _notitie(aanvraag: Aanvraag) -> str:
    Notitie.objects.create(aanvraag=aanvraag, tekst="Notitie uit de shell")
    return "Notitie uit de shell"


def _voorstel_anders(aanvraag: Aanvraag) -> str:
    Beslissingsvoorstel.objects.filter(aanvraag=aanvraag).update(motivatie="Andere motivatie")
    return "Andere motivatie"


def _concept_anders(aanvraag: Aanvraag) -> str:
    BeoordelingConcept.objects.filter(aanvraag=aanvraag).update(
        bewaard_op=datetime.datetime(2022, 12, 24, 10, 0, tzinfo=datetime.UTC)
    )
    return "U hebt een concept van uw beoordeling van 24 december 2022"


def _elders_anders_beslist(aanvraag: Aanvraag) -> str:
    jaar = aanvraag.oproep.eerste_jaar
    Beslissing.objects.exclude(aanvraag=aanvraag).update(bedragen={str(jaar): "777.00"})
    return "777,00"


def _vraag_beantwoord(aanvraag: Aanvraag) -> str:
    Vraag.objects.filter(aanvraag=aanvraag, antwoord="").update(
        antwoord="Tienduizend euro.", beantwoord_op=timezone.now()
    )
    return "Tienduizend euro."


def _behandelaar_hernoemd(aanvraag: Aanvraag) -> str:
    assert aanvraag.behandelaar_id is not None
    User.objects.filter(pk=aanvraag.behandelaar_id).update(first_name="Nieuwe", last_name="Naam")
    return "Nieuwe Naam"


def _nieuwe_beoordelaar(aanvraag: Aanvraag) -> str:
    nieuw = UserFactory.create(first_name="Pas", last_name="Aangeworven")
    nieuw.groups.add(Group.objects.get(name=Rol.BEOORDELAAR.value))
    return "Pas Aangeworven"


WIJZIGINGEN = [
    _score_anders,
    _beoordeling_anders,
    _notitie,
    _voorstel_anders,
    _concept_anders,
    _elders_anders_beslist,
    _vraag_beantwoord,
    _behandelaar_hernoemd,
    _nieuwe_beoordelaar,
]


@pytest.mark.parametrize("wijziging", WIJZIGINGEN, ids=lambda w: w.__name__.strip("_"))
def test_the_kept_review_page_shows_what_changes_past_the_services(
    volledig: Aanvraag, beoordelaar: User, wijziging
) -> None:
    client = client_for(beoordelaar)
    for _ in range(3):
        _html(client, _detail(volledig))
    tekst = wijziging(volledig)
    assert tekst in _html(client, _detail(volledig))


def test_a_reviewer_who_is_no_longer_active_leaves_the_menus(
    volledig: Aanvraag, beoordelaar: User
) -> None:
    weg = UserFactory.create(beoordelaar=True, first_name="Vertrekt", last_name="Binnenkort")
    client = client_for(beoordelaar)
    assert "Vertrekt Binnenkort" in _html(client, _wachtrij(volledig))
    assert "Vertrekt Binnenkort" in _html(client, _detail(volledig))
    User.objects.filter(pk=weg.pk).update(is_active=False)
    assert "Vertrekt Binnenkort" not in _html(client, _wachtrij(volledig))
    assert "Vertrekt Binnenkort" not in _html(client, _detail(volledig))


def test_the_kept_queue_shows_what_changes_past_the_services(
    volledig: Aanvraag, beoordelaar: User
) -> None:
    client = client_for(beoordelaar)
    _html(client, _wachtrij(volledig))
    Aanvraag.objects.filter(pk=volledig.pk).update(behandelaar=None)
    rij = _html(client, _wachtrij(volledig)).split(volledig.regieverband.naam, 1)[1]
    assert "nog niemand" in rij.split("</tr>", 1)[0]
    Beslissingsvoorstel.objects.filter(aanvraag=volledig).delete()
    assert "Voorstel wacht op bevestiging" not in _html(client, _wachtrij(volledig))
    Regieverband.objects.filter(pk=volledig.regieverband_id).update(naam="Hernoemd verband")
    assert "Hernoemd verband" in _html(client, _wachtrij(volledig))
    assert "Pas Aangeworven" in (
        _nieuwe_beoordelaar(volledig) and _html(client, _wachtrij(volledig))
    )


# --- Per viewer, per day, per visit -----------------------------------------------------------


def test_each_reviewer_gets_their_own_kept_page(volledig: Aanvraag, beoordelaar: User) -> None:
    """The lead sees every review side by side; another reviewer only their own (while no
    proposed decision asks them to confirm it)."""
    Beslissingsvoorstel.objects.filter(aanvraag=volledig).delete()
    lead = client_for(beoordelaar)
    for _ in range(2):
        assert "Advies met score 3" in _html(lead, _detail(volledig))
    ander = client_for(UserFactory.create(beoordelaar=True))
    assert "Advies met score 3" not in _html(ander, _detail(volledig))
    assert "Mijn beoordeling schrijven" in _html(ander, _detail(volledig))


def test_an_answer_is_new_once_then_the_page_is_kept_again(
    volledig: Aanvraag, beoordelaar: User, regisseur: User
) -> None:
    client = client_for(beoordelaar)
    for _ in range(2):
        _html(client, _detail(volledig))
    open_vraag = Vraag.objects.get(aanvraag=volledig, antwoord="")
    vraag_beantwoorden(vraag=open_vraag, by=regisseur, antwoord="Tienduizend euro.")
    assert "Nieuw sinds uw vorige bezoek" in _html(client, _detail(volledig))
    assert "Nieuw sinds uw vorige bezoek" not in _html(client, _detail(volledig))
    with CaptureQueriesContext(connection) as queries:
        assert "Nieuw sinds uw vorige bezoek" not in _html(client, _detail(volledig))
    assert len(_eigen_queries(queries)) == 1


def test_another_reviewers_visit_leaves_my_kept_queue_alone(
    volledig: Aanvraag, beoordelaar: User
) -> None:
    collega = client_for(UserFactory.create(beoordelaar=True))
    client = client_for(beoordelaar)
    _html(client, _detail(volledig))
    _html(client, _wachtrij(volledig))
    _html(collega, _detail(volledig))
    with CaptureQueriesContext(connection) as queries:
        _html(client, _wachtrij(volledig))
    assert len(_eigen_queries(queries)) == 2


def test_days_in_status_count_calendar_days_and_turn_at_midnight(
    volledig: Aanvraag, beoordelaar: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The queue's days are counted in Brussels from the day the status began; the kept queue
    turns with the day."""
    begin = datetime.datetime(2023, 3, 1, 22, 30, tzinfo=datetime.UTC)  # 23:30 in Brussels
    Statuswijziging.objects.filter(aanvraag=volledig).update(op=begin)
    client = client_for(beoordelaar)

    def dagen(nu: datetime.datetime) -> str:
        monkeypatch.setattr(review, "timezone", SimpleNamespace(now=lambda: nu))
        html = _html(client, _wachtrij(volledig))
        rij = html.split(volledig.regieverband.naam, 1)[1].split("</tr>", 1)[0]
        return re.findall(r'data-label="Dagen in deze status">(\d+)<', rij)[0]

    assert dagen(begin + datetime.timedelta(minutes=20)) == "0"
    assert dagen(begin + datetime.timedelta(minutes=40)) == "1"  # past midnight in Brussels
    assert dagen(begin + datetime.timedelta(days=9, minutes=40)) == "10"


def test_a_visit_written_late_with_an_older_time_still_changes_the_queue(
    volledig: Aanvraag, beoordelaar: User
) -> None:
    """Two review pages opened at once can write their visits in the other order, so the
    newest visit stays the same while another one moved: the queue still follows it."""
    beantwoord = Vraag.objects.get(aanvraag=volledig, antwoord__gt="").beantwoord_op
    assert beantwoord is not None
    elders = Aanvraag.objects.get(regieverband__naam="Elders")
    uur = datetime.timedelta(hours=1)
    Bekeken.objects.create(aanvraag=elders, gebruiker=beoordelaar, op=beantwoord + uur)
    Bekeken.objects.create(aanvraag=volledig, gebruiker=beoordelaar, op=beantwoord - uur)
    client = client_for(beoordelaar)
    assert "Nieuw sinds uw laatste bezoek: 1 antwoord" in _html(client, _wachtrij(volledig))
    Bekeken.objects.filter(aanvraag=volledig).update(op=beantwoord + uur / 2)
    assert "Nieuw sinds uw laatste bezoek" not in _html(client, _wachtrij(volledig))


def test_a_kept_page_never_holds_news_whatever_visit_is_written_meanwhile(
    volledig: Aanvraag, beoordelaar: User, regisseur: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three tabs at once: one has seen the answer, one (opened before it) writes its visit
    late, with an older time, while a third draws the page that is kept. The kept page says
    nothing is new (it was asked for the visit its key came from), and the late, older visit
    does not take the one that saw the answer back."""
    client = client_for(beoordelaar)
    _html(client, _detail(volledig))
    vraag = Vraag.objects.get(aanvraag=volledig, antwoord="")
    vraag_beantwoorden(vraag=vraag, by=regisseur, antwoord="Tienduizend euro.")
    beantwoord = Vraag.objects.get(pk=vraag.pk).beantwoord_op
    assert beantwoord is not None
    seconde = datetime.timedelta(seconds=1)
    Bekeken.objects.filter(gebruiker=beoordelaar).update(op=beantwoord + seconde)  # it saw it

    def laat_en_ouder(aanvraag: Aanvraag, **kwargs: Any) -> Any:
        aanvraag_bekeken(aanvraag=aanvraag, by=beoordelaar, now=beantwoord - seconde)
        return dossier(aanvraag, **kwargs)

    monkeypatch.setattr(review, "dossier", laat_en_ouder)
    assert "Nieuw sinds uw vorige bezoek" not in _html(client, _detail(volledig))
    monkeypatch.undo()
    assert Bekeken.objects.get(gebruiker=beoordelaar).op == beantwoord + seconde
    for _ in range(2):
        assert "Nieuw sinds uw vorige bezoek" not in _html(client, _detail(volledig))
