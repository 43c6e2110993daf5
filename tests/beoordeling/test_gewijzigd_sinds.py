"""What changed since a reviewer last looked: answers, a resubmission, new attachments, in the
queue (a marker per row, a filter, a count) and at the top of the review page."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.services import bijlage_add
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import aanvraag_submit
from applications.accounts.models import User
from applications.beoordeling import selectors
from applications.beoordeling.models import Bekeken
from applications.beoordeling.selectors import nieuw_sinds_bezoek
from applications.beoordeling.services import (
    aanvraag_bekeken,
    aanvraag_request_changes,
    aanvraag_take,
    vraag_beantwoorden,
    vraag_stellen,
)
from applications.beoordeling.views import review

from ..aanvraag_helpers import fill_everything, pdf_upload
from ..conftest import client_for
from ..factories import AanvraagFactory, UserFactory

pytestmark = pytest.mark.django_db

MARKER = "Nieuw sinds uw laatste bezoek"


@pytest.fixture
def in_behandeling(aanvraag: Aanvraag, regisseur: User, beoordelaar: User) -> Aanvraag:
    fill_everything(aanvraag, regisseur)
    aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    aanvraag_take(aanvraag=aanvraag, by=beoordelaar)
    return Aanvraag.objects.get(pk=aanvraag.pk)


def _queue(client, aanvraag: Aanvraag, extra: str = "") -> str:
    return client.get(f"/beoordeling/?oproep={aanvraag.oproep.slug}{extra}").content.decode()


def test_an_answer_is_new_until_the_reviewer_opens_the_page(in_behandeling, regisseur, beoordelaar):
    client = client_for(beoordelaar)
    vraag = vraag_stellen(aanvraag=in_behandeling, by=beoordelaar, tekst="Welke partners?")
    client.get(f"/beoordeling/{in_behandeling.pk}/")  # looked after asking
    assert MARKER not in _queue(client, in_behandeling)

    vraag_beantwoorden(vraag=vraag, by=regisseur, antwoord="VDAB.")
    queue = _queue(client, in_behandeling)
    assert f"{MARKER}: 1 antwoord" in queue
    assert "Gewijzigd sinds ik keek: 1 aanvraag" in queue
    page = client.get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
    assert "Nieuw sinds uw vorige bezoek" in page
    assert f'<a href="#vraag-{vraag.pk}">1 antwoord op een vraag van WSE</a>' in page

    # Seen now: no longer new, neither in the queue nor on the page.
    assert MARKER not in _queue(client, in_behandeling)
    assert "Gewijzigd sinds ik keek: 0 aanvragen" in _queue(client, in_behandeling)
    assert (
        "Nieuw sinds uw vorige bezoek"
        not in client.get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
    )


def test_another_reviewers_visit_does_not_clear_mine(in_behandeling, regisseur, beoordelaar):
    collega = UserFactory.create(beoordelaar=True)
    vraag = vraag_stellen(aanvraag=in_behandeling, by=beoordelaar, tekst="Welke partners?")
    client_for(beoordelaar).get(f"/beoordeling/{in_behandeling.pk}/")
    vraag_beantwoorden(vraag=vraag, by=regisseur, antwoord="VDAB.")
    client_for(collega).get(f"/beoordeling/{in_behandeling.pk}/")
    assert nieuw_sinds_bezoek(in_behandeling, beoordelaar).antwoorden == 1
    assert nieuw_sinds_bezoek(in_behandeling, collega).antwoorden == 0


NOOIT = "Nog niet door u bekeken"


def _rij(queue: str, naam: str) -> str:
    """The queue's row of the verband called `naam`."""
    return next(r for r in queue.split("<tr>") if f">{naam}</a>" in r)


def test_never_opened_is_not_changed_but_said_as_not_yet_seen(
    in_behandeling, beoordelaar, ander_verband
):
    """Someone who never opened an aanvraag gets no list of everything in it as "new": the row
    says they have not looked yet, while it is still open."""
    besloten = AanvraagFactory.create(
        regieverband=ander_verband, oproep=in_behandeling.oproep, goedgekeurd=True
    )
    nieuw = nieuw_sinds_bezoek(in_behandeling, beoordelaar)
    assert (nieuw.sinds, nieuw.iets) == (None, False)
    client = client_for(beoordelaar)
    queue = _queue(client, in_behandeling)
    assert MARKER not in queue
    assert NOOIT in _rij(queue, in_behandeling.regieverband.naam)
    assert NOOIT not in _rij(queue, besloten.regieverband.naam)  # decided: nothing to do
    assert "Gewijzigd sinds ik keek: 0 aanvragen" in queue

    client.get(f"/beoordeling/{in_behandeling.pk}/")
    assert NOOIT not in _queue(client, in_behandeling)
    # A colleague's visit is theirs.
    assert NOOIT in _queue(client_for(UserFactory.create(beoordelaar=True)), in_behandeling)


def test_the_changed_filter_is_a_box_of_the_filter_form_and_combines_with_my_dossiers(
    in_behandeling, regisseur, collega, beoordelaar, ander_verband
):
    ander = AanvraagFactory.create(
        regieverband=ander_verband, oproep=in_behandeling.oproep, ingediend=True
    )
    client = client_for(beoordelaar)
    for a, antwoorder in ((in_behandeling, regisseur), (ander, collega)):
        client.get(f"/beoordeling/{a.pk}/")
        vraag = vraag_stellen(aanvraag=a, by=beoordelaar, tekst="Welke partners?")
        vraag_beantwoorden(vraag=vraag, by=antwoorder, antwoord="VDAB.")
    # Both changed; only the first is mine.
    alle = _queue(client, in_behandeling, "&gewijzigd=ja")
    assert 'name="gewijzigd" value="ja" checked' in alle
    assert "2 aanvragen</caption>" in alle
    mijn = _queue(client, in_behandeling, f"&gewijzigd=ja&behandelaar={beoordelaar.pk}")
    assert "1 aanvraag</caption>" in mijn
    assert in_behandeling.regieverband.naam in mijn.split("<tbody>")[1]
    assert 'value="ja" checked' not in _queue(client, in_behandeling)


def test_a_resubmission_with_a_new_attachment_is_new_and_stays_with_its_lead(
    in_behandeling, regisseur, beoordelaar
):
    client = client_for(beoordelaar)
    client.get(f"/beoordeling/{in_behandeling.pk}/")
    aanvraag_request_changes(
        aanvraag=in_behandeling,
        by=beoordelaar,
        reden="Voeg de samenwerkingsovereenkomst toe.",
        tot=timezone.now() + datetime.timedelta(days=7),
    )
    bijlage_add(
        aanvraag=in_behandeling,
        by=regisseur,
        bijlagetype=in_behandeling.oproep.bijlagetypes.filter(per_lid=False).first(),
        upload=pdf_upload("overeenkomst.pdf"),
    )
    aanvraag_submit(aanvraag=Aanvraag.objects.get(pk=in_behandeling.pk), by=regisseur)

    aanvraag = Aanvraag.objects.get(pk=in_behandeling.pk)
    assert aanvraag.status == AanvraagStatus.INGEDIEND
    assert aanvraag.behandelaar == beoordelaar  # the case stays with its lead
    assert f"{MARKER}: opnieuw ingediend, 1 bijlage" in _queue(client, aanvraag)
    # The filter shows what changed, and only that.
    gefilterd = _queue(client, aanvraag, "&gewijzigd=ja")
    assert aanvraag.regieverband.naam in gefilterd
    assert "Alle aanvragen tonen" in gefilterd
    page = client.get(f"/beoordeling/{aanvraag.pk}/").content.decode()
    assert (
        f'<a href="/beoordeling/{aanvraag.pk}/versies/1/2/">'
        "Opnieuw ingediend: vergelijk versie 1 met versie 2</a>"
    ) in page
    assert client.get(f"/beoordeling/{aanvraag.pk}/versies/1/2/").status_code == 200
    assert f'<a href="/aanvragen/{aanvraag.pk}/bijlagen/">1 nieuwe bijlage</a>' in page
    assert (
        aanvraag.regieverband.naam
        not in _queue(client, aanvraag, "&gewijzigd=ja").split("<tbody>")[1]
    )


def test_the_page_links_the_first_new_answer_and_marks_each_new_one(
    in_behandeling, regisseur, beoordelaar
):
    client = client_for(beoordelaar)
    oud, eerste, tweede = (
        vraag_stellen(aanvraag=in_behandeling, by=beoordelaar, tekst=f"Vraag {i}?")
        for i in range(3)
    )
    vraag_beantwoorden(vraag=oud, by=regisseur, antwoord="Al gezien.")
    client.get(f"/beoordeling/{in_behandeling.pk}/")
    vraag_beantwoorden(vraag=tweede, by=regisseur, antwoord="Later gesteld, eerst beantwoord.")
    vraag_beantwoorden(vraag=eerste, by=regisseur, antwoord="Eerder gesteld.")

    page = client.get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
    # The link leads to the first of them on the page (questions are listed as they were asked).
    assert f'<a href="#vraag-{eerste.pk}">2 antwoorden op vragen van WSE</a>' in page
    blokken = {
        v.pk: page.split(f'id="vraag-{v.pk}"')[1].split('<div class="border')[0]
        for v in (oud, eerste, tweede)
    }
    badge = ">Nieuw sinds uw vorige bezoek</span>"
    assert [badge in blokken[v.pk] for v in (oud, eerste, tweede)] == [False, True, True]


def test_a_first_submission_after_a_look_at_the_draft_is_not_a_resubmission(
    aanvraag, regisseur, beoordelaar
):
    """WSE opens a draft's review page to grant an extension; its submission is then new, and
    said as a submission."""
    fill_everything(aanvraag, regisseur)
    client = client_for(beoordelaar)
    assert client.get(f"/beoordeling/{aanvraag.pk}/").status_code == 200
    aanvraag_submit(aanvraag=aanvraag, by=regisseur)

    nieuw = nieuw_sinds_bezoek(aanvraag, beoordelaar)
    assert (nieuw.versies, nieuw.eerste_indiening, str(nieuw)) == (1, True, "ingediend")
    assert f"{MARKER}: ingediend" in _queue(client, aanvraag)
    page = client.get(f"/beoordeling/{aanvraag.pk}/").content.decode()
    assert '<a href="#b-versies">Ingediend: de ingediende versie</a>' in page
    assert "Opnieuw ingediend" not in page


@pytest.mark.parametrize("who", ["regisseur", "collega", None])
def test_only_wse_records_or_sees_it(who, in_behandeling, request):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(f"/beoordeling/?oproep={in_behandeling.oproep.slug}")
    assert response.status_code in (302, 404)
    assert client_for(user).get(f"/beoordeling/{in_behandeling.pk}/").status_code in (302, 404)
    assert not Bekeken.objects.exists()


def test_an_answer_that_arrives_while_the_page_is_made_is_new_next_time(
    in_behandeling, regisseur, beoordelaar, monkeypatch
):
    """The visit counts from when the page started reading: an answer that came in after that
    is not on the page, so the next visit must still say it."""
    client = client_for(beoordelaar)
    vraag = vraag_stellen(aanvraag=in_behandeling, by=beoordelaar, tekst="Welke partners?")
    client.get(f"/beoordeling/{in_behandeling.pk}/")

    def then_the_answer_arrives(aanvraag, **kwargs):
        bron = selectors.dossier(aanvraag, **kwargs)
        vraag_beantwoorden(vraag=vraag, by=regisseur, antwoord="VDAB.")
        return bron

    monkeypatch.setattr(review, "dossier", then_the_answer_arrives)
    cache.clear()  # the page is drawn now, not served as kept for the first visit
    page = client.get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
    assert "Nieuw sinds uw vorige bezoek" not in page
    monkeypatch.undo()

    assert nieuw_sinds_bezoek(in_behandeling, beoordelaar).antwoorden == 1
    assert "1 antwoord op een vraag van WSE" in (
        client.get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
    )


def test_a_reviewer_who_is_regisseur_of_the_verband_has_no_visits_there(in_behandeling, verband):
    dubbel = UserFactory.create(regisseur_van=[verband], beoordelaar=True)
    assert client_for(dubbel).get(f"/beoordeling/{in_behandeling.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        aanvraag_bekeken(aanvraag=in_behandeling, by=dubbel)
    assert not Bekeken.objects.exists()


def test_a_beheerders_visit_is_kept_for_the_beheerder(in_behandeling, beheerder, beoordelaar):
    assert client_for(beheerder).get(f"/beoordeling/{in_behandeling.pk}/").status_code == 200
    assert list(Bekeken.objects.values_list("gebruiker", flat=True)) == [beheerder.pk]
    assert nieuw_sinds_bezoek(in_behandeling, beoordelaar).sinds is None
