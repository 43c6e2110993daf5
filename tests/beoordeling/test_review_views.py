"""WSE's review pages and the regisseurs' follow-up page, as users reach them: who sees what,
the queue's filters and query count, refusals shown at the form, and what stays internal."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import number_format

from applications.aanvragen.models import Aanvraag, Actie
from applications.aanvragen.services import aanvraag_withdraw
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import aanvraag_submit
from applications.accounts.models import User
from applications.beoordeling.constants import Advies
from applications.beoordeling.models import Beslissing
from applications.beoordeling.selectors import QUEUE_PER_PAGINA
from applications.beoordeling.services import (
    aanvraag_decide,
    aanvraag_request_changes,
    aanvraag_take,
    beoordeling_save,
    notitie_add,
    vraag_beantwoorden,
    vraag_stellen,
)

from ..aanvraag_helpers import fill_everything, worker_maakt_pdfs
from ..conftest import client_for
from ..factories import (
    AanvraagFactory,
    LidmaatschapFactory,
    OproepFactory,
    RegieverbandFactory,
    UserFactory,
)
from ..pdf_helpers import pdf_text

pytestmark = pytest.mark.django_db

ROLES = ["regisseur", "collega", "beoordelaar", "beheerder", None]
NOTE = "GEHEIME-NOTITIE-7731"
SCORE_MOTIVATIE = "SCORE-MOTIVATIE-5520"
ADVIES_MOTIVATIE = "ADVIES-MOTIVATIE-9902"


def _user(request, who):
    return request.getfixturevalue(who) if who else None


@pytest.fixture
def ingediend(aanvraag: Aanvraag, regisseur: User) -> Aanvraag:
    fill_everything(aanvraag, regisseur)
    aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    worker_maakt_pdfs()
    return Aanvraag.objects.get(pk=aanvraag.pk)


@pytest.fixture
def in_behandeling(ingediend: Aanvraag, beoordelaar: User) -> Aanvraag:
    aanvraag_take(aanvraag=ingediend, by=beoordelaar)
    return Aanvraag.objects.get(pk=ingediend.pk)


def _review(aanvraag: Aanvraag, by: User) -> None:
    scores = {p.pk: (4, SCORE_MOTIVATIE) for p in aanvraag.oproep.prioriteiten.all()}
    beoordeling_save(
        aanvraag=aanvraag,
        by=by,
        scores=scores,
        advies=Advies.GOEDKEUREN,
        motivatie=ADVIES_MOTIVATIE,
        bedragen={jaar: Decimal("50000") for jaar in aanvraag.oproep.jaren},
    )


# --- Who reaches which page -----------------------------------------------------------------------

WSE_PAGE = {"regisseur": 404, "collega": 404, "beoordelaar": 200, "beheerder": 200, None: 302}


@pytest.mark.parametrize(
    "path", ["/beoordeling/", "/beoordeling/{pk}/", "/beoordeling/{pk}/mijn-beoordeling/"]
)
@pytest.mark.parametrize("who", ROLES)
def test_wse_pages_permission_matrix(path, who, in_behandeling, request):
    response = client_for(_user(request, who)).get(path.format(pk=in_behandeling.pk))
    assert response.status_code == WSE_PAGE[who]
    if who is None:
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ROLES)
def test_version_diff_permission_matrix(who, in_behandeling, regisseur, beoordelaar, request):
    _resubmit(in_behandeling, regisseur, beoordelaar)
    response = client_for(_user(request, who)).get(f"/beoordeling/{in_behandeling.pk}/versies/1/2/")
    assert response.status_code == WSE_PAGE[who]


def _action_data(aanvraag: Aanvraag) -> dict[str, dict[str, str]]:
    later = timezone.localtime() + datetime.timedelta(days=10)
    return {
        "nemen/": {"behandelaar-behandelaar": ""},
        "vraag/": {"vraag-tekst": "Een vraag"},
        "notitie/": {"notitie-tekst": "Een notitie"},
        "wijzigingen/": {
            "wijzigingen-reden": "Pas aan",
            "wijzigingen-tot": later.strftime("%Y-%m-%dT%H:%M"),
        },
        "beslissing/": {
            "beslissing-uitkomst": "afgewezen",
            "beslissing-motivatie": "Niet in orde.",
        },
    }


# Reviewer-only actions: a beheerder sees the page but the service refuses (403).
ACTION_EXPECTED = {"regisseur": 404, "collega": 404, "beheerder": 403, None: 302}


# A beheerder may assign a lead (test_only_the_lead_or_a_beheerder_hands_an_aanvraag_on).
@pytest.mark.parametrize(
    ("action", "who"),
    [
        (action, who)
        for action in ("nemen/", "vraag/", "wijzigingen/", "beslissing/")
        for who in ("regisseur", "collega", "beheerder", None)
        if (action, who) != ("nemen/", "beheerder")
    ],
)
def test_only_reviewers_act(action, who, in_behandeling, beoordelaar, request):
    data = _action_data(in_behandeling)[action]
    if action == "nemen/":
        data = {"behandelaar-behandelaar": str(beoordelaar.pk)}
    response = client_for(_user(request, who)).post(
        f"/beoordeling/{in_behandeling.pk}/{action}", data
    )
    assert response.status_code == ACTION_EXPECTED[who]
    aanvraag = Aanvraag.objects.get(pk=in_behandeling.pk)
    assert aanvraag.status == AanvraagStatus.IN_BEHANDELING
    assert not aanvraag.vragen.exists()
    assert not Beslissing.objects.filter(aanvraag=aanvraag).exists()


@pytest.mark.parametrize(("who", "status"), [("beoordelaar", 302), ("beheerder", 302)])
def test_wse_writes_internal_notes(who, status, in_behandeling, request):
    response = client_for(_user(request, who)).post(
        f"/beoordeling/{in_behandeling.pk}/notitie/", {"notitie-tekst": "Intern"}
    )
    assert response.status_code == status
    assert in_behandeling.notities.filter(tekst="Intern").exists()


FOLLOW_UP = {"regisseur": 200, "collega": 404, "beoordelaar": 200, "beheerder": 200, None: 302}


@pytest.mark.parametrize("who", ROLES)
def test_follow_up_permission_matrix(who, in_behandeling, request):
    response = client_for(_user(request, who)).get(f"/aanvragen/{in_behandeling.pk}/opvolging/")
    assert response.status_code == FOLLOW_UP[who]


ANSWER = {"regisseur": 302, "collega": 404, "beoordelaar": 403, "beheerder": 403, None: 302}


@pytest.mark.parametrize("who", ROLES)
def test_only_the_verbands_regisseurs_answer(who, in_behandeling, beoordelaar, request):
    vraag = vraag_stellen(aanvraag=in_behandeling, by=beoordelaar, tekst="Waarom?")
    response = client_for(_user(request, who)).post(
        f"/aanvragen/{in_behandeling.pk}/vragen/{vraag.pk}/antwoord/",
        {f"v{vraag.pk}-antwoord": "Daarom."},
    )
    assert response.status_code == ANSWER[who]
    vraag.refresh_from_db()
    assert vraag.is_beantwoord == (who == "regisseur")


WITHDRAW = {"regisseur": 302, "collega": 404, "beoordelaar": 403, "beheerder": 403, None: 302}


@pytest.mark.parametrize("who", ROLES)
def test_only_the_verbands_regisseurs_withdraw(who, in_behandeling, request):
    response = client_for(_user(request, who)).post(
        f"/aanvragen/{in_behandeling.pk}/intrekken/", {"reden": "Fusie"}
    )
    assert response.status_code == WITHDRAW[who]
    status = Aanvraag.objects.get(pk=in_behandeling.pk).status
    expected = AanvraagStatus.INGETROKKEN if who == "regisseur" else AanvraagStatus.IN_BEHANDELING
    assert status == expected


LETTER = {"regisseur": 200, "collega": 404, "beoordelaar": 200, "beheerder": 200, None: 302}


@pytest.mark.parametrize("who", ROLES)
def test_decision_letter_permission_matrix(who, in_behandeling, beoordelaar, request):
    aanvraag_decide(
        aanvraag=in_behandeling,
        by=beoordelaar,
        uitkomst=AanvraagStatus.AFGEWEZEN,
        motivatie="Onvoldoende onderbouwd.",
    )
    response = client_for(_user(request, who)).get(f"/aanvragen/{in_behandeling.pk}/beslissing.pdf")
    assert response.status_code == LETTER[who]
    if response.status_code == 200:
        assert "Onvoldoende onderbouwd." in pdf_text(response.content)


def test_no_letter_before_the_decision(in_behandeling, regisseur):
    response = client_for(regisseur).get(f"/aanvragen/{in_behandeling.pk}/beslissing.pdf")
    assert response.status_code == 404


# --- The queue ------------------------------------------------------------------------------------


def _submitted_aanvragen(oproep, n: int) -> list[Aanvraag]:
    """`n` submitted aanvragen of verbanden with two members each (made-up, for counting)."""
    result = []
    for i in range(n):
        verband = RegieverbandFactory.create(naam=f"Wachtrijverband {i:03d}")
        LidmaatschapFactory.create(regieverband=verband, bestuur__nis_code="11002")
        LidmaatschapFactory.create(regieverband=verband, bestuur__nis_code="44021")
        result.append(AanvraagFactory.create(regieverband=verband, oproep=oproep, ingediend=True))
    return result


@pytest.mark.parametrize("n", [10, 200])
def test_queue_query_count_does_not_grow_with_aanvragen(n, oproep, beoordelaar):
    aanvragen = _submitted_aanvragen(oproep, n)
    client = client_for(beoordelaar)
    client.get(f"/beoordeling/?oproep={oproep.slug}")  # session and permissions warm
    # Kept: the state of all aanvragen and of my visits, nothing of the queue itself.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/beoordeling/?oproep={oproep.slug}")
    assert response.content.decode().count("Wachtrijverband") >= min(n, QUEUE_PER_PAGINA)
    assert len(queries) == QUEUE_KEPT, [q["sql"][:80] for q in queries]
    # Drawn again after a change, with the call's members and overlaps kept: the same number
    # of queries for 10 and for 200 aanvragen.
    Aanvraag.objects.filter(pk=aanvragen[0].pk).update(behandelaar=beoordelaar)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/beoordeling/?oproep={oproep.slug}")
    assert response.status_code == 200
    assert response.content.decode().count("Wachtrijverband") >= min(n, QUEUE_PER_PAGINA)
    assert len(queries) == QUEUE_QUERIES, [q["sql"][:80] for q in queries]
    # Also when the call's members and overlaps are read again (not kept, or reference data
    # changed since): the call again, its members, its overlaps; and the maintenance message,
    # kept in the same cache for 30 s.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/beoordeling/?oproep={oproep.slug}")
    assert response.content.decode().count("Wachtrijverband") >= min(n, QUEUE_PER_PAGINA)
    assert len(queries) == QUEUE_QUERIES + 4, [q["sql"][:80] for q in queries]


# Session, user, two-step device, roles, the state of all aanvragen, of my visits.
QUEUE_KEPT = 6
# Besides those: the calls, the page's count, the reference version (the call's members and
# overlaps are kept under it), the page, the counts per status, my open dossiers, what changed
# since I looked, the reviewers.
QUEUE_QUERIES = 14


def test_queue_shows_fifty_a_page_and_keeps_the_filters(oproep, beoordelaar):
    _submitted_aanvragen(oproep, QUEUE_PER_PAGINA + 3)
    client = client_for(beoordelaar)
    filters = {"oproep": oproep.slug, "zoek": "wachtrij", "sort": "verband"}
    eerste = client.get("/beoordeling/", filters).content.decode()
    namen = re.findall(r">(Wachtrijverband \d+)</a>", eerste)
    assert namen == [f"Wachtrijverband {i:03d}" for i in range(QUEUE_PER_PAGINA)]
    assert f"{QUEUE_PER_PAGINA + 3} aanvragen</caption>" in eerste
    assert f"1 tot {QUEUE_PER_PAGINA} van {QUEUE_PER_PAGINA + 3}" in eerste
    volgende = f'href="?oproep={oproep.slug}&amp;zoek=wachtrij&amp;sort=verband&amp;pagina=2"'
    assert volgende in eerste
    tweede = client.get("/beoordeling/", {**filters, "pagina": "2"}).content.decode()
    assert re.findall(r">(Wachtrijverband \d+)</a>", tweede) == [
        f"Wachtrijverband {i:03d}" for i in range(QUEUE_PER_PAGINA, QUEUE_PER_PAGINA + 3)
    ]
    # No number, or past the end: the first or the last page, never an error.
    assert client.get("/beoordeling/", {**filters, "pagina": "x"}).status_code == 200
    laatste = client.get("/beoordeling/", {**filters, "pagina": "99"}).content.decode()
    assert re.findall(r">(Wachtrijverband \d+)</a>", laatste)[-1] == "Wachtrijverband 052"


def test_queue_shows_status_members_province_centrumstad_and_lead(in_behandeling, beoordelaar):
    page = client_for(beoordelaar).get("/beoordeling/").content.decode()
    assert in_behandeling.regieverband.naam in page
    assert "In behandeling" in page
    assert "Limburg" in page
    assert "73107" in page
    assert str(beoordelaar) in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("zoek=Maasland", True),
        ("zoek=maasmechelen", True),  # a member's name, any case
        ("zoek=73107", True),  # a member's NIS code
        ("zoek=Gent", False),
        ("provincie=70000", True),
        ("provincie=10000", False),
        ("centrumstad=nee", True),
        ("centrumstad=ja", False),
        ("status=in_behandeling", True),
        ("status=ingediend", False),
        ("behandelaar=geen", False),
    ],
)
def test_queue_filters_and_search(query, found, in_behandeling, beoordelaar):
    page = client_for(beoordelaar).get(f"/beoordeling/?{query}").content.decode()
    assert (in_behandeling.regieverband.naam in page) is found


def test_queue_counts_per_status(in_behandeling, oproep, beoordelaar):
    AanvraagFactory.create(oproep=oproep, ingediend=True)
    AanvraagFactory.create(oproep=oproep)
    page = client_for(beoordelaar).get(f"/beoordeling/?oproep={oproep.slug}").content.decode()
    for label, n in (("Concept", 1), ("Ingediend", 1), ("In behandeling", 1)):
        assert f"{label}</a>: <strong>{n}</strong>" in page


def test_a_member_in_two_aanvragen_of_the_call_is_flagged_in_the_queue_and_on_the_review_page(
    in_behandeling, oproep, beoordelaar
):
    maasmechelen = in_behandeling.regieverband.lidmaatschappen.get().bestuur
    tweede = RegieverbandFactory.create(naam="Tweede verband (test)")
    LidmaatschapFactory.create(regieverband=tweede, bestuur=maasmechelen)
    andere = AanvraagFactory.create(regieverband=tweede, oproep=oproep, ingediend=True)
    client = client_for(beoordelaar)

    queue = client.get(f"/beoordeling/?oproep={oproep.slug}").content.decode()
    # Each of the two rows names the other verband.
    assert f"{maasmechelen.naam} zit ook in Tweede verband (test)" in queue
    assert f"{maasmechelen.naam} zit ook in Sociale Economie Maasland (test)" in queue
    detail = client.get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
    assert "Overlap: 1 lid zit ook in een ander regieverband" in detail
    assert f"{maasmechelen.naam} ({maasmechelen.nis_code}): Tweede verband (test)" in detail

    # Once the other aanvraag is withdrawn, the overlap no longer counts.
    Aanvraag.objects.filter(pk=andere.pk).update(status=AanvraagStatus.INGETROKKEN)
    assert "zit ook in" not in client.get(f"/beoordeling/?oproep={oproep.slug}").content.decode()
    assert "Overlap" not in client.get(f"/beoordeling/{in_behandeling.pk}/").content.decode()


def test_no_overlap_flag_for_a_member_of_a_verband_without_aanvraag_in_the_call(
    in_behandeling, beoordelaar
):
    maasmechelen = in_behandeling.regieverband.lidmaatschappen.get().bestuur
    LidmaatschapFactory.create(regieverband__naam="Zonder aanvraag (test)", bestuur=maasmechelen)
    client = client_for(beoordelaar)
    assert "zit ook in" not in client.get("/beoordeling/").content.decode()
    assert "Overlap" not in client.get(f"/beoordeling/{in_behandeling.pk}/").content.decode()


def test_the_review_page_names_only_overlaps_of_its_own_members(
    in_behandeling, oproep, beoordelaar
):
    """The page reads the memberships of its own members only: an overlap between two other
    verbanden of the call is on their pages and in the queue, not on this one."""
    ander_bestuur = LidmaatschapFactory.create(regieverband__naam="Eerste ander (test)").bestuur
    eerste = ander_bestuur.lidmaatschappen.get().regieverband
    tweede = RegieverbandFactory.create(naam="Tweede ander (test)")
    LidmaatschapFactory.create(regieverband=tweede, bestuur=ander_bestuur)
    AanvraagFactory.create(regieverband=eerste, oproep=oproep, ingediend=True)
    andere = AanvraagFactory.create(regieverband=tweede, oproep=oproep, ingediend=True)
    client = client_for(beoordelaar)
    assert "Overlap" not in client.get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
    detail = client.get(f"/beoordeling/{andere.pk}/").content.decode()
    assert f"{ander_bestuur.naam} ({ander_bestuur.nis_code}): Eerste ander (test)" in detail


# --- What regisseurs never see --------------------------------------------------------------------


def test_regisseurs_never_see_internal_notes_or_scores(
    in_behandeling, regisseur, beoordelaar, mailoutbox, django_capture_on_commit_callbacks
):
    aanvraag = in_behandeling
    with django_capture_on_commit_callbacks(execute=True):
        notitie_add(aanvraag=aanvraag, by=beoordelaar, tekst=NOTE)
        _review(aanvraag, beoordelaar)
        vraag = vraag_stellen(aanvraag=aanvraag, by=beoordelaar, tekst="Een vraag")
        vraag_beantwoorden(vraag=vraag, by=regisseur, antwoord="Een antwoord")
        aanvraag_decide(
            aanvraag=aanvraag,
            by=beoordelaar,
            uitkomst=AanvraagStatus.GOEDGEKEURD,
            motivatie="Goedgekeurd na beoordeling.",
            bedragen={jaar: Decimal("40000") for jaar in aanvraag.oproep.jaren},
        )
    secrets = (NOTE, SCORE_MOTIVATIE, ADVIES_MOTIVATIE)

    client = client_for(regisseur)
    pages = ["", "verband/", "teksten/", "meerjarenplan/", "begroting/", "bijlagen/", "opvolging/"]
    for path in pages:
        html = client.get(f"/aanvragen/{aanvraag.pk}/{path}").content.decode()
        for secret in secrets:
            assert secret not in html, path
    for url in (f"/aanvragen/{aanvraag.pk}/pdf/", f"/aanvragen/{aanvraag.pk}/beslissing.pdf"):
        text = pdf_text(client.get(url).content)
        for secret in secrets:
            assert secret not in text, url
    to_regisseurs = [m for m in mailoutbox if regisseur.email in m.to]
    assert len(to_regisseurs) >= 2  # the question and the decision
    for message in to_regisseurs:
        bodies = [message.body, *(content for content, _type in message.alternatives)]
        for secret in secrets:
            assert all(secret not in body for body in bodies)
    # The regisseur cannot reach WSE's pages or exports at all.
    assert client.get(f"/beoordeling/{aanvraag.pk}/").status_code == 404
    assert client.get(f"/beoordeling/{aanvraag.oproep.slug}/pdfs.zip").status_code == 404

    # WSE sees them.
    html = client_for(beoordelaar).get(f"/beoordeling/{aanvraag.pk}/").content.decode()
    for secret in secrets:
        assert secret in html


def test_other_reviewers_see_only_their_own_review_the_lead_sees_all(in_behandeling, beoordelaar):
    tweede = UserFactory.create(beoordelaar=True, email="tweede-beoordelaar@example.org")
    _review(in_behandeling, tweede)
    beoordeling_save(
        aanvraag=in_behandeling,
        by=beoordelaar,
        scores={
            p.pk: (2, "Eigen motivatie lead") for p in in_behandeling.oproep.prioriteiten.all()
        },
        advies=Advies.AFWIJZEN,
        motivatie="Advies van de lead",
        bedragen={jaar: Decimal("0") for jaar in in_behandeling.oproep.jaren},
    )
    lead_page = client_for(beoordelaar).get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
    assert "Advies van de lead" in lead_page and ADVIES_MOTIVATIE in lead_page
    other_page = client_for(tweede).get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
    assert ADVIES_MOTIVATIE in other_page
    assert "Advies van de lead" not in other_page


# --- Bad input: a clear refusal, nothing changed --------------------------------------------------


def test_decision_above_the_calls_budget_is_refused_and_the_input_kept(in_behandeling, beoordelaar):
    data = {
        "beslissing-uitkomst": "goedgekeurd",
        "beslissing-motivatie": "Mijn motivatie blijft staan.",
        "beslissing-reden_boven_gevraagd": "Uitzonderlijk.",
    }
    for jaar in in_behandeling.oproep.jaren:
        data[f"beslissing-bedrag_{jaar}"] = "3.000.000,01" if jaar == 2031 else "10.000,00"
    response = client_for(beoordelaar).post(f"/beoordeling/{in_behandeling.pk}/beslissing/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "2031: EUR 3.000.000,01 is meer dan het budget van de oproep" in html
    assert "Mijn motivatie blijft staan." in html
    assert Aanvraag.objects.get(pk=in_behandeling.pk).status == AanvraagStatus.IN_BEHANDELING
    assert not Beslissing.objects.exists()


def test_due_date_in_the_past_is_refused(in_behandeling, beoordelaar):
    past = timezone.localtime() - datetime.timedelta(hours=1)
    response = client_for(beoordelaar).post(
        f"/beoordeling/{in_behandeling.pk}/wijzigingen/",
        {
            "wijzigingen-reden": "Graag aanvullen.",
            "wijzigingen-tot": past.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400
    assert "De termijn moet in de toekomst liggen." in response.content.decode()
    assert "Graag aanvullen." in response.content.decode()
    assert Aanvraag.objects.get(pk=in_behandeling.pk).status == AanvraagStatus.IN_BEHANDELING


def test_decision_on_a_withdrawn_aanvraag_is_refused(in_behandeling, regisseur, beoordelaar):
    aanvraag_withdraw(aanvraag=in_behandeling, by=regisseur)
    response = client_for(beoordelaar).post(
        f"/beoordeling/{in_behandeling.pk}/beslissing/",
        {"beslissing-uitkomst": "afgewezen", "beslissing-motivatie": "Te laat."},
    )
    assert response.status_code == 400
    assert "Deze aanvraag werd ingetrokken; er volgt geen beslissing." in response.content.decode()
    assert Aanvraag.objects.get(pk=in_behandeling.pk).status == AanvraagStatus.INGETROKKEN
    assert not Beslissing.objects.exists()


def test_a_transition_not_in_the_table_is_refused(ingediend, beoordelaar):
    """Changes can be asked of an aanvraag in behandeling, not of one just submitted."""
    later = timezone.localtime() + datetime.timedelta(days=5)
    response = client_for(beoordelaar).post(
        f"/beoordeling/{ingediend.pk}/wijzigingen/",
        {"wijzigingen-reden": "Pas aan.", "wijzigingen-tot": later.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 400
    assert "kan niet naar" in response.content.decode()
    assert Aanvraag.objects.get(pk=ingediend.pk).status == AanvraagStatus.INGEDIEND


def test_review_form_keeps_input_and_explains_missing_scores(in_behandeling, beoordelaar):
    response = client_for(beoordelaar).post(
        f"/beoordeling/{in_behandeling.pk}/mijn-beoordeling/",
        {"advies": "goedkeuren", "motivatie": "Sterk dossier."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Geef een score." in html
    assert "Sterk dossier." in html
    assert not in_behandeling.beoordelingen.exists()


# --- Versions and the diff ------------------------------------------------------------------------


def _resubmit(aanvraag: Aanvraag, regisseur: User, beoordelaar: User) -> None:
    later = timezone.now() + datetime.timedelta(days=7)
    aanvraag_request_changes(
        aanvraag=aanvraag, by=beoordelaar, reden="Visie aanscherpen.", tot=later
    )
    Aanvraag.objects.filter(pk=aanvraag.pk).update(visie="Een scherpere visie.")
    actie = Actie.objects.filter(aanvraag=aanvraag).order_by("pk").first()
    assert actie is not None
    Actie.objects.filter(pk=actie.pk).update(budget=Decimal("2500.00"), titel="Hernoemde actie")
    # The last action is replaced by a new one in the same cell (the plan stays complete).
    weg = Actie.objects.filter(aanvraag=aanvraag).order_by("-pk").first()
    assert weg is not None
    Actie.objects.create(
        aanvraag=aanvraag,
        prioriteit=weg.prioriteit,
        jaar=weg.jaar,
        titel="Gloednieuwe actie",
        budget=Decimal("100"),
    )
    weg.delete()
    aanvraag_submit(aanvraag=Aanvraag.objects.get(pk=aanvraag.pk), by=regisseur)


def test_version_diff_shows_fields_and_actions(in_behandeling, regisseur, beoordelaar):
    _resubmit(in_behandeling, regisseur, beoordelaar)
    html = (
        client_for(beoordelaar)
        .get(f"/beoordeling/{in_behandeling.pk}/versies/1/2/")
        .content.decode()
    )
    assert "Visie en beleidsplanning" in html
    assert "Verzonnen visie." in html and "Een scherpere visie." in html
    assert "Hernoemde actie" in html
    assert "1.000,50" in html and "2.500,00" in html
    assert "Gloednieuwe actie" in html and "nieuw" in html
    assert "verwijderd" in html
    detail = client_for(beoordelaar).get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
    assert f"/beoordeling/{in_behandeling.pk}/versies/1/2/" in detail


def test_unknown_version_is_404(in_behandeling, beoordelaar):
    response = client_for(beoordelaar).get(f"/beoordeling/{in_behandeling.pk}/versies/1/9/")
    assert response.status_code == 404


# --- Found in review: leaks, roles, odd input --------------------------------------------------


def test_assigning_a_lead_leaves_no_note_text_in_the_regisseurs_timeline(
    ingediend, regisseur, beoordelaar
):
    collega_beoordelaar = UserFactory.create(beoordelaar=True, email="collega-wse@example.org")
    aanvraag_take(aanvraag=ingediend, by=beoordelaar, behandelaar=collega_beoordelaar)
    note = ingediend.notities.get().tekst
    html = client_for(regisseur).get(f"/aanvragen/{ingediend.pk}/opvolging/").content.decode()
    assert note not in html
    assert "In behandeling genomen door WSE." in html


def test_a_reviewer_who_is_also_regisseur_of_the_verband_does_not_review_it(
    in_behandeling, verband, beoordelaar
):
    dubbel = UserFactory.create(
        regisseur_van=[verband], beoordelaar=True, email="dubbel@example.org"
    )
    notitie_add(aanvraag=in_behandeling, by=beoordelaar, tekst=NOTE)
    client = client_for(dubbel)
    assert client.get(f"/beoordeling/{in_behandeling.pk}/").status_code == 404
    assert NOTE not in client.get(f"/aanvragen/{in_behandeling.pk}/opvolging/").content.decode()
    with pytest.raises(PermissionDenied):
        aanvraag_decide(
            aanvraag=in_behandeling,
            by=dubbel,
            uitkomst=AanvraagStatus.AFGEWEZEN,
            motivatie="Eigen dossier.",
        )
    assert Aanvraag.objects.get(pk=in_behandeling.pk).status == AanvraagStatus.IN_BEHANDELING


def test_only_the_lead_or_a_beheerder_hands_an_aanvraag_on(in_behandeling, beoordelaar, beheerder):
    ander = UserFactory.create(beoordelaar=True, email="ander-wse@example.org")
    with pytest.raises(PermissionDenied):
        aanvraag_take(aanvraag=in_behandeling, by=ander)
    assert Aanvraag.objects.get(pk=in_behandeling.pk).behandelaar == beoordelaar
    aanvraag_take(aanvraag=in_behandeling, by=beheerder, behandelaar=ander)
    assert Aanvraag.objects.get(pk=in_behandeling.pk).behandelaar == ander


@pytest.mark.parametrize("query", ["behandelaar=%C2%B2", "zoek=%00", "sort=drop", "status=x"])
def test_odd_queue_parameters_are_ignored_not_a_server_error(query, in_behandeling, beoordelaar):
    response = client_for(beoordelaar).get(f"/beoordeling/?{query}")
    assert response.status_code == 200


def test_longest_waiting_comes_first(oproep, beoordelaar):
    oud, nieuw = _submitted_aanvragen(oproep, 2)
    Aanvraag.objects.filter(pk=oud.pk).update(
        aangemaakt_op=timezone.now() - datetime.timedelta(days=30)
    )
    page = client_for(beoordelaar).get(f"/beoordeling/?oproep={oproep.slug}&sort=wachtend")
    html = page.content.decode()
    assert html.index(oud.regieverband.naam) < html.index(nieuw.regieverband.naam)


def test_a_due_date_without_seconds_lasts_to_the_end_of_its_minute(in_behandeling, beoordelaar):
    later = (timezone.localtime() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    client_for(beoordelaar).post(
        f"/beoordeling/{in_behandeling.pk}/wijzigingen/",
        {"wijzigingen-reden": "Aanvullen.", "wijzigingen-tot": later.strftime("%Y-%m-%dT%H:%M")},
    )
    tot = Aanvraag.objects.get(pk=in_behandeling.pk).wijzigingen_tot
    assert tot == later.replace(second=59)


class BrokenMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise OSError("SMTP-server onbereikbaar")


def test_a_mail_error_after_commit_does_not_undo_or_break_the_action(
    in_behandeling, beoordelaar, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.beoordeling.test_review_views.BrokenMailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(beoordelaar).post(
            f"/beoordeling/{in_behandeling.pk}/vraag/", {"vraag-tekst": "Hoe zit het met X?"}
        )
    assert response.status_code == 302
    assert in_behandeling.vragen.filter(tekst="Hoe zit het met X?").exists()
    assert "SMTP-server onbereikbaar" in caplog.text


def test_detail_query_count_does_not_grow_with_questions_and_notes(
    in_behandeling, beoordelaar, beheerder
):
    """Each relation of the dossier is read once for the page and its timeline (the page drawn,
    not served as kept)."""
    client = client_for(beoordelaar)
    url = f"/beoordeling/{in_behandeling.pk}/"
    client.get(url)  # session and permissions warm

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for i in range(3):
        vraag_stellen(aanvraag=in_behandeling, by=beoordelaar, tekst=f"Vraag {i}")
        notitie_add(aanvraag=in_behandeling, by=beheerder, tekst=f"Notitie {i}")
    assert count() == few


def test_detail_reads_the_versions_without_their_snapshots(in_behandeling, beoordelaar):
    """The page lists the sealed versions but never compares them here: their snapshots (large
    JSON) stay unread, and more versions add no query (a snapshot read per version would)."""
    client = client_for(beoordelaar)
    url = f"/beoordeling/{in_behandeling.pk}/"
    client.get(url)
    cache.clear()  # the page drawn, not served as kept
    with CaptureQueriesContext(connection) as een:
        assert client.get(url).status_code == 200
    eerste = in_behandeling.indieningen.get()
    for nummer in (2, 3):
        eerste.pk = None
        eerste.nummer = nummer
        eerste.save()
    cache.clear()
    with CaptureQueriesContext(connection) as drie:
        page = client.get(url).content.decode()
    assert len(drie) == len(een)
    assert "Wat veranderde van versie 2 naar 3" in page
    indieningen = [q["sql"] for q in drie if 'FROM "aanvragen_indiening"' in q["sql"]]
    assert indieningen
    assert not any('"aanvragen_indiening"."inhoud",' in sql for sql in indieningen)


META = '<meta http-equiv="refresh" content="0;url=https://aanvaller.example/">'


@pytest.mark.parametrize("pad", ["/beoordeling/{pk}/", "/beoordeling/{pk}/mijn-beoordeling/"])
def test_a_priority_title_a_beheerder_typed_is_text_on_the_reviewers_pages(
    pad, in_behandeling, beoordelaar
):
    """It reached a crispy help text rendered as HTML: a meta refresh in it sent the reviewer
    elsewhere."""
    prioriteit = in_behandeling.oproep.prioriteiten.first()
    prioriteit.titel = f"Werk {META}"
    prioriteit.save()
    pagina = client_for(beoordelaar).get(pad.format(pk=in_behandeling.pk)).content.decode()
    assert 'http-equiv="refresh"' not in pagina
    if "mijn-beoordeling" in pad:  # the form that shows the title as a help text
        assert "&lt;meta http-equiv=&quot;refresh&quot;" in pagina


def test_what_wse_asks_is_on_the_dashboard_and_on_top_of_the_aanvraag(
    in_behandeling, beoordelaar, regisseur, collega
):
    """Not only on the follow-up tab: an open question, then a request for changes with its
    reason and term; an answered question is gone."""
    from applications.beoordeling.services import vraag_beantwoorden, vraag_stellen

    vraag = vraag_stellen(
        aanvraag=in_behandeling, by=beoordelaar, tekst="Welke partners doen mee in Lanaken?"
    )
    eigenaar = client_for(regisseur)
    for pad in ("/", f"/aanvragen/{in_behandeling.pk}/teksten/"):
        pagina = eigenaar.get(pad).content.decode()
        assert "Vraag van WSE" in pagina and "Welke partners doen mee in Lanaken?" in pagina, pad
    assert "Welke partners" not in client_for(collega).get("/").content.decode()

    vraag_beantwoorden(vraag=vraag, by=regisseur, antwoord="VDAB en het OCMW.")
    tot = timezone.now() + datetime.timedelta(days=10)
    aanvraag_request_changes(
        aanvraag=in_behandeling,
        by=beoordelaar,
        reden="Voeg de beslissing van Lanaken toe.",
        tot=tot,
    )
    dashboard = eigenaar.get("/").content.decode()
    assert "Welke partners" not in dashboard
    assert "WSE vraagt wijzigingen" in dashboard
    assert "Voeg de beslissing van Lanaken toe." in dashboard
    assert in_behandeling.regieverband.naam in dashboard.split("WSE vraagt wijzigingen")[1][:200]
    bovenaan = eigenaar.get(f"/aanvragen/{in_behandeling.pk}/begroting/").content.decode()
    assert "Voeg de beslissing van Lanaken toe." in bovenaan


def test_the_decision_form_warns_while_the_letter_would_lack_conditions_or_bezwaar(
    in_behandeling: Aanvraag, beoordelaar: User
) -> None:
    waarschuwing = "de beslissingsbrief zal ze dan niet bevatten"
    url = f"/beoordeling/{in_behandeling.pk}/"
    assert waarschuwing in client_for(beoordelaar).get(url).content.decode()
    oproep = in_behandeling.oproep
    oproep.voorwaarden = "Voorwaarden."
    oproep.bezwaar_termijn_dagen = 30
    oproep.bezwaar_bij = "bezwaar@wse.example.org"
    oproep.save()
    assert waarschuwing not in client_for(beoordelaar).get(url).content.decode()


def _beslissing(aanvraag: Aanvraag, **bedragen: str) -> dict[str, str]:
    data = {"beslissing-uitkomst": "goedgekeurd", "beslissing-motivatie": "Goed plan."}
    for jaar in aanvraag.oproep.jaren:
        data[f"beslissing-bedrag_{jaar}"] = bedragen.get(f"j{jaar}", "1.000,00")
    return data


def test_the_decision_form_shows_what_was_asked_and_starts_from_it(
    in_behandeling: Aanvraag, beoordelaar: User
) -> None:
    html = client_for(beoordelaar).get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
    assert "Gevraagd en indicatief bedrag per jaar, in euro" in html
    gevraagd = {
        jaar: sum(a.budget for a in in_behandeling.acties.filter(jaar=jaar))
        for jaar in in_behandeling.oproep.jaren
    }
    for jaar, bedrag in gevraagd.items():
        getal = number_format(bedrag, 2, force_grouping=True)  # 4.002,00
        assert f'name="beslissing-bedrag_{jaar}" value="{getal}"' in html, jaar
    assert "De formule van deze oproep is niet gekend" in html


def test_a_decision_is_confirmed_with_its_figures_before_it_counts(
    in_behandeling: Aanvraag, beoordelaar: User
) -> None:
    client = client_for(beoordelaar)
    url = f"/beoordeling/{in_behandeling.pk}/beslissing/"
    eerst = client.post(url, _beslissing(in_behandeling))
    assert eerst.status_code == 200
    html = eerst.content.decode()
    assert "Controleer de beslissing voor ze geldt" in html
    assert "Toegekend tegenover gevraagd, in euro" in html
    assert ">3.000,00<" in html  # the total granted (the caption says: in euro)
    assert not Beslissing.objects.exists()
    assert Aanvraag.objects.get(pk=in_behandeling.pk).status == AanvraagStatus.IN_BEHANDELING

    client.post(url, _beslissing(in_behandeling) | {"beslissing-bevestigd": "on"})
    beslissing = Beslissing.objects.get()
    assert beslissing.totaal == Decimal("3000")


def test_more_than_asked_needs_a_reason_which_the_letter_gives(
    in_behandeling: Aanvraag, beoordelaar: User
) -> None:
    client = client_for(beoordelaar)
    url = f"/beoordeling/{in_behandeling.pk}/beslissing/"
    jaar = in_behandeling.oproep.jaren[0]
    veel = _beslissing(in_behandeling, **{f"j{jaar}": "900.000,00"})
    geweigerd = client.post(url, veel)
    assert geweigerd.status_code == 400
    assert f"Het bedrag voor {jaar} is hoger dan gevraagd: zeg waarom." in (
        geweigerd.content.decode()
    )
    assert not Beslissing.objects.exists()

    met_reden = veel | {
        "beslissing-reden_boven_gevraagd": "Extra opdracht van de minister.",
        "beslissing-bevestigd": "on",
    }
    client.post(url, met_reden)
    beslissing = Beslissing.objects.get()
    assert (
        beslissing.motivatie == "Goed plan.\n\nMeer dan gevraagd: Extra opdracht van de minister."
    )


def test_the_budget_is_refused_before_the_confirmation(
    in_behandeling: Aanvraag, beoordelaar: User
) -> None:
    jaar = in_behandeling.oproep.jaren[0]
    data = _beslissing(in_behandeling, **{f"j{jaar}": "3.000.000,01"}) | {
        "beslissing-reden_boven_gevraagd": "Uitzonderlijk."
    }
    antwoord = client_for(beoordelaar).post(f"/beoordeling/{in_behandeling.pk}/beslissing/", data)
    assert antwoord.status_code == 400
    assert "Controleer de beslissing voor ze geldt" not in antwoord.content.decode()
    assert "is meer dan het budget van de oproep" in antwoord.content.decode()


def test_the_queue_opens_on_the_call_with_most_aanvragen_waiting_and_counts_my_dossiers(
    beoordelaar: User,
) -> None:
    """Review happens after a call closes: a newer call with one submission does not hide the
    older one where more wait."""
    oud = OproepFactory.create(slug="oud", naam="Oude oproep", eerste_jaar=2027, laatste_jaar=2029)
    nieuw = OproepFactory.create(slug="nieuw", naam="Nieuwe oproep", eerste_jaar=2030)
    for _ in range(2):
        AanvraagFactory.create(oproep=oud, ingediend=True)
    AanvraagFactory.create(oproep=oud, in_behandeling=True, behandelaar=beoordelaar)
    AanvraagFactory.create(oproep=oud, goedgekeurd=True, behandelaar=beoordelaar)  # decided
    AanvraagFactory.create(oproep=nieuw, ingediend=True)

    html = client_for(beoordelaar).get("/beoordeling/").content.decode()
    assert '<p class="lead">Oude oproep' in html
    assert "Mijn dossiers: 1 open dossier dat ik behandel" in html
    assert f'href="?oproep=oud&amp;behandelaar={beoordelaar.pk}"' in html
    # Once the old call's work is done, the newer call is where the work is.
    Aanvraag.objects.filter(oproep=oud).update(status=AanvraagStatus.AFGEWEZEN)
    html = client_for(beoordelaar).get("/beoordeling/").content.decode()
    assert '<p class="lead">Nieuwe oproep' in html
