"""A review kept as a draft, the score anchors of a call, and the vier-ogenprincipe: a decision
one reviewer proposes and a second confirms or sends back, each step in WSE's timeline."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.services import aanvraag_withdraw
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import aanvraag_submit
from applications.accounts.models import User
from applications.beoordeling.models import (
    Beoordeling,
    BeoordelingConcept,
    Beslissing,
    Beslissingsvoorstel,
    Voorstelstatus,
)
from applications.beoordeling.selectors import timeline
from applications.beoordeling.services import (
    aanvraag_decide,
    aanvraag_request_changes,
    aanvraag_take,
    beslissing_voorstellen,
    voorstel_bevestigen,
    voorstel_terugsturen,
)
from applications.oproepen.models import Beleidsprioriteit, Oproep, Scoreanker

from ..aanvraag_helpers import fill_everything
from ..conftest import client_for
from ..factories import (
    AanvraagFactory,
    LidmaatschapFactory,
    OproepFactory,
    RegieverbandFactory,
    UserFactory,
)
from .test_review_views import ADVIES_MOTIVATIE, _review

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_behandeling(aanvraag: Aanvraag, regisseur: User, beoordelaar: User) -> Aanvraag:
    fill_everything(aanvraag, regisseur)
    aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    aanvraag_take(aanvraag=aanvraag, by=beoordelaar)
    return Aanvraag.objects.get(pk=aanvraag.pk)


@pytest.fixture
def tweede(db: None) -> User:
    return UserFactory.create(beoordelaar=True, first_name="Tweede", last_name="Paar")


@pytest.fixture
def vier_ogen(in_behandeling: Aanvraag) -> Aanvraag:
    Oproep.objects.filter(pk=in_behandeling.oproep_id).update(vier_ogen=True)
    return Aanvraag.objects.select_related("oproep").get(pk=in_behandeling.pk)


def _review_post(aanvraag: Aanvraag, **extra: str) -> dict[str, str]:
    data = {"advies": "goedkeuren", "motivatie": "Sterk plan."}
    for p in aanvraag.oproep.prioriteiten.all():
        data[f"score_{p.pk}"] = "4"
        data[f"motivatie_{p.pk}"] = f"Goed voor {p.code}."
    for jaar in aanvraag.oproep.jaren:
        data[f"bedrag_{jaar}"] = "50.000,00"
    return {**data, **extra}


# --- Drafts ---------------------------------------------------------------------------------------


def test_a_half_done_review_is_kept_as_a_draft_that_counts_nowhere_until_finished(
    in_behandeling, beoordelaar
):
    client = client_for(beoordelaar)
    url = f"/beoordeling/{in_behandeling.pk}/mijn-beoordeling/"
    eerste = in_behandeling.oproep.prioriteiten.first()
    halfweg = {
        f"score_{eerste.pk}": "2",
        f"motivatie_{eerste.pk}": "Nog na te kijken.",
        "actie": "concept",
    }

    response = client.post(url, halfweg)
    assert response.status_code == 302
    concept = BeoordelingConcept.objects.get(aanvraag=in_behandeling, beoordelaar=beoordelaar)
    assert concept.gegevens == {
        f"score_{eerste.pk}": "2",
        f"motivatie_{eerste.pk}": "Nog na te kijken.",
    }
    assert not Beoordeling.objects.exists()
    detail = client.get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
    assert "Verder werken aan het concept" in detail
    assert "Nog geen beoordelingen." in detail  # the draft is not a review
    assert "Beoordeling bewaard" not in detail  # nor in the timeline

    # Back at the form: what was typed is there again.
    form = client.get(url).content.decode()
    assert "Nog na te kijken." in form
    assert "U werkt verder aan uw concept" in form

    # Finishing saves the review and ends the draft.
    assert client.post(url, _review_post(in_behandeling, actie="afronden")).status_code == 302
    assert Beoordeling.objects.get(aanvraag=in_behandeling).advies == "goedkeuren"
    assert not BeoordelingConcept.objects.exists()


def test_a_draft_still_checks_what_is_typed(in_behandeling, beoordelaar):
    eerste = in_behandeling.oproep.prioriteiten.first()
    response = client_for(beoordelaar).post(
        f"/beoordeling/{in_behandeling.pk}/mijn-beoordeling/",
        {f"score_{eerste.pk}": "9", f"motivatie_{eerste.pk}": "x" * 2001, "actie": "concept"},
    )
    assert response.status_code == 400
    assert not BeoordelingConcept.objects.exists()
    page = response.content.decode()
    assert "2001" in page or "2.001" in page  # the length, said at the field


def test_finishing_an_incomplete_review_is_refused_and_keeps_the_input(in_behandeling, beoordelaar):
    data = _review_post(in_behandeling, actie="afronden")
    del data["motivatie"]
    response = client_for(beoordelaar).post(
        f"/beoordeling/{in_behandeling.pk}/mijn-beoordeling/", data
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Motiveer het advies." in page
    assert "Goed voor " in page  # the score motivations typed are still in the form
    assert not Beoordeling.objects.exists()


def test_a_draft_of_a_revision_leaves_the_finished_review_as_it_was(in_behandeling, beoordelaar):
    client = client_for(beoordelaar)
    url = f"/beoordeling/{in_behandeling.pk}/mijn-beoordeling/"
    client.post(url, _review_post(in_behandeling))
    client.post(url, _review_post(in_behandeling, motivatie="Toch twijfels.", actie="concept"))
    assert Beoordeling.objects.get().motivatie == "Sterk plan."
    assert (
        "Tot dan blijft uw vorige, afgeronde beoordeling gelden."
        in client.get(url).content.decode()
    )

    # Thrown away: the form shows the finished review again.
    assert client.post(url, {"actie": "weggooien"}).status_code == 302
    assert not BeoordelingConcept.objects.exists()
    page = client.get(url).content.decode()
    assert "Sterk plan." in page and "Toch twijfels." not in page


def test_another_reviewer_never_sees_my_draft(in_behandeling, beoordelaar, tweede):
    client_for(beoordelaar).post(
        f"/beoordeling/{in_behandeling.pk}/mijn-beoordeling/",
        {"motivatie": "MIJN-GEHEIM-CONCEPT", "actie": "concept"},
    )
    for wie in (tweede, beoordelaar):
        form = client_for(wie).get(f"/beoordeling/{in_behandeling.pk}/mijn-beoordeling/")
        assert ("MIJN-GEHEIM-CONCEPT" in form.content.decode()) is (wie == beoordelaar)
        detail = client_for(wie).get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
        assert "MIJN-GEHEIM-CONCEPT" not in detail


# --- Score anchors --------------------------------------------------------------------------------


def test_the_review_form_shows_what_each_point_means_where_the_call_says_so(
    in_behandeling, beoordelaar
):
    eerste, tweede_p = list(in_behandeling.oproep.prioriteiten.all())[:2]
    Scoreanker.objects.create(prioriteit=eerste, score=1, betekenis="Niet gedekt <b>")
    Scoreanker.objects.create(prioriteit=eerste, score=5, betekenis="Volledig gedekt")
    page = (
        client_for(beoordelaar)
        .get(f"/beoordeling/{in_behandeling.pk}/mijn-beoordeling/")
        .content.decode()
    )
    # The anchored priority: a radio per point, with its meaning (escaped).
    assert re.search(f'type="radio"[^>]* name="score_{eerste.pk}" value="1"', page)
    assert "1 \N{EN DASH} Niet gedekt &lt;b&gt;" in page
    assert "5 \N{EN DASH} Volledig gedekt" in page
    # Points without an anchor are still choices, by their number.
    assert re.search(f'type="radio"[^>]* name="score_{eerste.pk}" value="3"', page)
    # A priority without anchors keeps its drop-down.
    assert re.search(f'<select name="score_{tweede_p.pk}"', page)
    assert not re.search(f'type="radio"[^>]* name="score_{tweede_p.pk}"', page)


def test_an_anchor_outside_the_call_scale_is_refused(in_behandeling):
    anker = Scoreanker(
        prioriteit=in_behandeling.oproep.prioriteiten.first(), score=7, betekenis="x"
    )
    with pytest.raises(ValidationError) as exc:
        anker.full_clean()
    assert "lopen van 1 tot 5" in str(exc.value)


def test_the_beheerder_edits_anchors_on_the_priority_page(beheerder, oproep):
    prioriteit = oproep.prioriteiten.first()
    client = client_for(beheerder)
    url = f"/beheer/oproepen/beleidsprioriteit/{prioriteit.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "oproep": str(oproep.pk),
        "volgorde": str(prioriteit.volgorde),
        "code": prioriteit.code,
        "titel": prioriteit.titel,
        "beschrijving": "",
        "ankers-TOTAL_FORMS": "1",
        "ankers-INITIAL_FORMS": "0",
        "ankers-MIN_NUM_FORMS": "0",
        "ankers-MAX_NUM_FORMS": "1000",
        "ankers-0-score": "3",
        "ankers-0-betekenis": "Elk jaar gedekt",
    }
    assert client.post(url, data).status_code == 302
    assert prioriteit.ankers.get().betekenis == "Elk jaar gedekt"
    # Outside the scale: refused at the row.
    data.update({"ankers-TOTAL_FORMS": "2", "ankers-INITIAL_FORMS": "1"})
    data.update(
        {"ankers-0-id": str(prioriteit.ankers.get().pk), "ankers-0-prioriteit": str(prioriteit.pk)}
    )
    data.update({"ankers-1-score": "6", "ankers-1-betekenis": "Te hoog"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "De scores van deze oproep lopen van 1 tot 5." in response.content.decode()
    assert prioriteit.ankers.count() == 1


# --- Vier-ogenprincipe ----------------------------------------------------------------------------


def test_without_the_setting_one_reviewer_decides_and_no_proposal_is_made(
    in_behandeling, beoordelaar
):
    with pytest.raises(ValidationError, match="geen tweede beoordelaar"):
        beslissing_voorstellen(
            aanvraag=in_behandeling,
            by=beoordelaar,
            uitkomst=AanvraagStatus.AFGEWEZEN,
            motivatie="Nee.",
        )
    aanvraag_decide(
        aanvraag=in_behandeling, by=beoordelaar, uitkomst=AanvraagStatus.AFGEWEZEN, motivatie="Nee."
    )
    assert Aanvraag.objects.get(pk=in_behandeling.pk).status == AanvraagStatus.AFGEWEZEN


def test_under_the_setting_deciding_alone_is_refused(vier_ogen, beoordelaar):
    with pytest.raises(ValidationError, match="vier-ogenprincipe"):
        aanvraag_decide(
            aanvraag=vier_ogen, by=beoordelaar, uitkomst=AanvraagStatus.AFGEWEZEN, motivatie="Nee."
        )
    assert not Beslissing.objects.exists()


def test_a_proposal_is_confirmed_by_a_second_reviewer_never_by_its_proposer(
    vier_ogen, beoordelaar, tweede, mailoutbox, django_capture_on_commit_callbacks
):
    bedragen = {jaar: Decimal("40000") for jaar in vier_ogen.oproep.jaren}
    voorstel = beslissing_voorstellen(
        aanvraag=vier_ogen,
        by=beoordelaar,
        uitkomst=AanvraagStatus.GOEDGEKEURD,
        motivatie="Goed plan.",
        bedragen=bedragen,
    )
    assert Aanvraag.objects.get(pk=vier_ogen.pk).status == AanvraagStatus.IN_BEHANDELING
    with pytest.raises(ValidationError, match="zelf voor"):
        voorstel_bevestigen(voorstel=voorstel, by=beoordelaar)
    with pytest.raises(ValidationError, match="wacht al een beslissingsvoorstel"):
        beslissing_voorstellen(
            aanvraag=vier_ogen, by=tweede, uitkomst=AanvraagStatus.AFGEWEZEN, motivatie="Nee."
        )

    with django_capture_on_commit_callbacks(execute=True):
        beslissing = voorstel_bevestigen(voorstel=voorstel, by=tweede)
    assert beslissing.bedragen_per_jaar == bedragen
    assert beslissing.door == tweede
    assert Aanvraag.objects.get(pk=vier_ogen.pk).status == AanvraagStatus.GOEDGEKEURD
    voorstel.refresh_from_db()
    assert (voorstel.status, voorstel.behandeld_door) == (Voorstelstatus.BEVESTIGD, tweede)
    # Once confirmed, not again.
    with pytest.raises(ValidationError, match="al bevestigd"):
        voorstel_bevestigen(voorstel=voorstel, by=tweede)

    stappen = [(g.titel, g.door) for g in timeline(vier_ogen, voor_wse=True)]
    assert ("Beslissing voorgesteld: Goedgekeurd (EUR 120.000,00)", beoordelaar) in stappen
    assert ("Voorstel bevestigd door een tweede beoordelaar", tweede) in stappen
    assert ("Beslissing: Goedgekeurd", tweede) in stappen
    # The regisseurs' timeline tells the decision, not WSE's internal steps.
    assert not any("Voorstel" in g.titel for g in timeline(vier_ogen, voor_wse=False))


def test_the_database_refuses_a_proposal_confirmed_by_its_proposer(vier_ogen, beoordelaar):
    voorstel = beslissing_voorstellen(
        aanvraag=vier_ogen, by=beoordelaar, uitkomst=AanvraagStatus.AFGEWEZEN, motivatie="Nee."
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Beslissingsvoorstel.objects.filter(pk=voorstel.pk).update(
            status=Voorstelstatus.BEVESTIGD, behandeld_door=beoordelaar
        )


def test_a_proposal_sent_back_makes_room_for_a_new_one(vier_ogen, beoordelaar, tweede):
    voorstel = beslissing_voorstellen(
        aanvraag=vier_ogen, by=beoordelaar, uitkomst=AanvraagStatus.AFGEWEZEN, motivatie="Nee."
    )
    with pytest.raises(ValidationError):
        voorstel_terugsturen(voorstel=voorstel, by=tweede, reden="  ")
    voorstel_terugsturen(voorstel=voorstel, by=tweede, reden="Het budget laat meer toe.")
    voorstel.refresh_from_db()
    assert voorstel.status == Voorstelstatus.TERUGGESTUURD
    nieuw = beslissing_voorstellen(
        aanvraag=vier_ogen, by=tweede, uitkomst=AanvraagStatus.AFGEWEZEN, motivatie="Toch nee."
    )
    assert nieuw.status == Voorstelstatus.OPEN
    stappen = [(g.titel, g.tekst) for g in timeline(vier_ogen, voor_wse=True)]
    assert ("Voorstel teruggestuurd", "Het budget laat meer toe.") in stappen


def test_asking_for_changes_sends_an_open_proposal_back(vier_ogen, beoordelaar, tweede):
    voorstel = beslissing_voorstellen(
        aanvraag=vier_ogen, by=beoordelaar, uitkomst=AanvraagStatus.AFGEWEZEN, motivatie="Nee."
    )
    aanvraag_request_changes(
        aanvraag=vier_ogen,
        by=tweede,
        reden="Vul aan.",
        tot=timezone.now() + datetime.timedelta(days=7),
    )
    voorstel.refresh_from_db()
    assert voorstel.status == Voorstelstatus.VERVALLEN
    assert voorstel.reden == "Wijzigingen gevraagd: het voorstel gold de vorige versie."


def test_the_review_page_walks_both_reviewers_through_it(vier_ogen, beoordelaar, tweede):
    eerste = client_for(beoordelaar)
    jaren = vier_ogen.oproep.jaren
    data = {
        "beslissing-uitkomst": "goedgekeurd",
        "beslissing-motivatie": "Goed plan.",
        **{f"beslissing-bedrag_{jaar}": "1.000,00" for jaar in jaren},
    }
    response = eerste.post(f"/beoordeling/{vier_ogen.pk}/beslissing/", data)
    assert response.status_code == 200
    stap = response.content.decode()
    assert "Voorstel vastleggen" in stap
    assert "een tweede beoordelaar bevestigt het" in stap
    response = eerste.post(
        f"/beoordeling/{vier_ogen.pk}/beslissing/", {**data, "beslissing-bevestigd": "on"}
    )
    assert response.status_code == 302
    voorstel = Beslissingsvoorstel.objects.get()
    page = eerste.get(f"/beoordeling/{vier_ogen.pk}/").content.decode()
    assert "U stelde deze beslissing voor." in page
    assert "Voorstel intrekken" in page
    assert f'action="/beoordeling/{vier_ogen.pk}/voorstel/bevestigen/"' not in page

    tweede_client = client_for(tweede)
    page = tweede_client.get(f"/beoordeling/{vier_ogen.pk}/").content.decode()
    assert "Voorgestelde beslissing: goedgekeurd, door" in page
    assert ">3.000,00<" in page  # the proposed total beside the asked one (in euro)
    assert "Voorstel terugsturen" in page
    response = tweede_client.post(
        f"/beoordeling/{vier_ogen.pk}/voorstel/bevestigen/", {"voorstel-voorstel": voorstel.pk}
    )
    assert response.status_code == 302
    assert Aanvraag.objects.get(pk=vier_ogen.pk).status == AanvraagStatus.GOEDGEKEURD


def test_confirming_a_proposal_that_was_replaced_meanwhile_is_refused(
    vier_ogen, beoordelaar, tweede
):
    oud = beslissing_voorstellen(
        aanvraag=vier_ogen, by=beoordelaar, uitkomst=AanvraagStatus.AFGEWEZEN, motivatie="Nee."
    )
    voorstel_terugsturen(voorstel=oud, by=beoordelaar, reden="Ingetrokken.")
    beslissing_voorstellen(
        aanvraag=vier_ogen, by=beoordelaar, uitkomst=AanvraagStatus.AFGEWEZEN, motivatie="Nee!"
    )
    # The second reviewer's page still showed the old proposal.
    response = client_for(tweede).post(
        f"/beoordeling/{vier_ogen.pk}/voorstel/bevestigen/",
        {"voorstel-voorstel": oud.pk},
        follow=True,
    )
    assert "Dit voorstel is al teruggestuurd." in response.content.decode()
    assert not Beslissing.objects.exists()


# --- What a review of this work found -----------------------------------------------------------


def _goedkeuring(aanvraag: Aanvraag, by: User, bedrag: str = "40000") -> Beslissingsvoorstel:
    return beslissing_voorstellen(
        aanvraag=aanvraag,
        by=by,
        uitkomst=AanvraagStatus.GOEDGEKEURD,
        motivatie="Goed plan.",
        bedragen={jaar: Decimal(bedrag) for jaar in aanvraag.oproep.jaren},
    )


# Withdrawal leaves the proposal open for ever.
def test_withdrawing_closes_an_open_proposal(vier_ogen, beoordelaar, regisseur):
    voorstel = _goedkeuring(vier_ogen, beoordelaar)
    aanvraag_withdraw(aanvraag=vier_ogen, by=regisseur, reden="We stoppen.")
    voorstel.refresh_from_db()
    assert voorstel.status == Voorstelstatus.VERVALLEN
    assert voorstel.reden == "De aanvraag werd ingetrokken."
    titels = [g.titel for g in timeline(vier_ogen, voor_wse=True)]
    assert "Voorstel vervallen" in titels


# A budget refusal at confirmation is said nowhere.
def test_a_budget_refusal_at_confirmation_is_shown(vier_ogen, beoordelaar, tweede):
    voorstel = _goedkeuring(vier_ogen, beoordelaar)
    # Meanwhile the call's budget shrank (or another decision took it).
    Oproep.objects.filter(pk=vier_ogen.oproep_id).update(jaarbudget=Decimal("1000"))
    response = client_for(tweede).post(
        f"/beoordeling/{vier_ogen.pk}/voorstel/bevestigen/", {"voorstel-voorstel": voorstel.pk}
    )
    assert response.status_code == 400
    assert not Beslissing.objects.exists()
    page = response.content.decode()
    assert "meer dan het budget van de oproep" in page, "the refusal is not on the page"


# A draft outlives the decision and the page invites to continue it.
def test_no_invitation_to_continue_a_draft_once_decided(in_behandeling, beoordelaar):
    client = client_for(beoordelaar)
    client.post(
        f"/beoordeling/{in_behandeling.pk}/mijn-beoordeling/",
        {"motivatie": "Half af.", "actie": "concept"},
    )
    assert BeoordelingConcept.objects.exists()
    aanvraag_decide(
        aanvraag=in_behandeling, by=beoordelaar, uitkomst=AanvraagStatus.AFGEWEZEN, motivatie="Nee."
    )
    page = client.get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
    assert "Verder werken aan het concept" not in page


# Saving a draft on a closed aanvraag: refused, said, and what was typed?
def test_saving_a_draft_on_a_closed_aanvraag(in_behandeling, beoordelaar):
    aanvraag_decide(
        aanvraag=in_behandeling, by=beoordelaar, uitkomst=AanvraagStatus.AFGEWEZEN, motivatie="Nee."
    )
    response = client_for(beoordelaar).post(
        f"/beoordeling/{in_behandeling.pk}/mijn-beoordeling/",
        {"motivatie": "UUR-WERK-123", "actie": "concept"},
    )
    assert response.status_code == 400
    assert not BeoordelingConcept.objects.exists()
    page = response.content.decode()
    assert "afgesloten" in page


# Overlap list: a stray comma when the aanvraag's own verband sorts last.
def test_overlap_list_has_no_trailing_separator(in_behandeling, oproep, beoordelaar):
    bestuur = in_behandeling.regieverband.lidmaatschappen.get().bestuur
    ander = RegieverbandFactory.create(naam="Aaa verband (test)")
    LidmaatschapFactory.create(regieverband=ander, bestuur=bestuur)
    AanvraagFactory.create(regieverband=ander, oproep=oproep, ingediend=True)
    page = client_for(beoordelaar).get(f"/beoordeling/{in_behandeling.pk}/").content.decode()
    assert "Aaa verband (test)" in page
    assert f"{bestuur.naam} ({bestuur.nis_code}): Aaa verband (test)</li>" in page


# The setting switched off while a proposal is open: a decision alone leaves it open.
def test_deciding_after_the_setting_was_switched_off_closes_the_open_proposal(
    vier_ogen, beoordelaar, tweede
):
    voorstel = _goedkeuring(vier_ogen, beoordelaar)
    Oproep.objects.filter(pk=vier_ogen.oproep_id).update(vier_ogen=False)
    aanvraag = Aanvraag.objects.select_related("oproep").get(pk=vier_ogen.pk)
    aanvraag_decide(
        aanvraag=aanvraag, by=tweede, uitkomst=AanvraagStatus.AFGEWEZEN, motivatie="Nee."
    )
    voorstel.refresh_from_db()
    assert (voorstel.status, voorstel.reden) == (
        Voorstelstatus.VERVALLEN,
        "Er werd anders beslist.",
    )


# The confirmer (not the lead) cannot see the reviews the proposal rests on.
def test_the_second_reviewer_sees_the_reviews(vier_ogen, beoordelaar, tweede):
    _review(vier_ogen, beoordelaar)
    _goedkeuring(vier_ogen, beoordelaar)
    page = client_for(tweede).get(f"/beoordeling/{vier_ogen.pk}/").content.decode()
    assert ADVIES_MOTIVATIE in page


# The timeline does not tell a withdrawal by the proposer from a send-back.
def test_timeline_says_withdrawn_by_proposer(vier_ogen, beoordelaar):
    voorstel = _goedkeuring(vier_ogen, beoordelaar)
    voorstel_terugsturen(voorstel=voorstel, by=beoordelaar, reden="Vergissing.")
    titels = [g.titel for g in timeline(vier_ogen, voor_wse=True)]
    assert "Voorstel ingetrokken" in titels, titels


# Detail page query count with proposals and overlaps.
def test_detail_query_count_constant_with_proposals(vier_ogen, beoordelaar, tweede):
    client = client_for(tweede)
    url = f"/beoordeling/{vier_ogen.pk}/"
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        return len(q)

    v = _goedkeuring(vier_ogen, beoordelaar)
    few = count()
    for _i in range(3):
        voorstel_terugsturen(voorstel=v, by=tweede, reden="Nee.")
        v = _goedkeuring(vier_ogen, beoordelaar)
    assert count() == few


# The letter's motivation in the proposer's interface language.
def test_more_than_asked_reason_is_dutch_in_the_letter(vier_ogen, beoordelaar, tweede):
    client = client_for(beoordelaar)
    data = {
        "beslissing-uitkomst": "goedgekeurd",
        "beslissing-motivatie": "Goed plan.",
        "beslissing-reden_boven_gevraagd": "Extra opdracht.",
        "beslissing-bevestigd": "on",
        **{f"beslissing-bedrag_{j}": "999.000,00" for j in vier_ogen.oproep.jaren},
    }
    r = client.post(f"/beoordeling/{vier_ogen.pk}/beslissing/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 302, r.content.decode()[:3000]
    assert "Meer dan gevraagd: Extra opdracht." in Beslissingsvoorstel.objects.get().motivatie


# Anchor of a priority created in the admin together with it: the scale is not checked.
def test_anchor_out_of_scale_on_the_add_page(beheerder, oproep):
    client = client_for(beheerder)
    data = {
        "oproep": str(oproep.pk),
        "volgorde": "9",
        "code": "WSE-LR9",
        "titel": "Nieuw",
        "beschrijving": "",
        "ankers-TOTAL_FORMS": "1",
        "ankers-INITIAL_FORMS": "0",
        "ankers-MIN_NUM_FORMS": "0",
        "ankers-MAX_NUM_FORMS": "1000",
        "ankers-0-score": "42",
        "ankers-0-betekenis": "Buiten de schaal",
    }
    client.post("/beheer/oproepen/beleidsprioriteit/add/", data)
    p = Beleidsprioriteit.objects.filter(code="WSE-LR9").first()
    assert p is None or not p.ankers.filter(score=42).exists()


# A priority with actions in aanvragen can be moved to another call.
def test_priority_with_actions_cannot_move_to_another_call(beheerder, in_behandeling):

    p = in_behandeling.acties.first().prioriteit
    ander = OproepFactory.create(slug="andere-test")
    client = client_for(beheerder)
    data = {
        "oproep": str(ander.pk),
        "volgorde": str(p.volgorde),
        "code": p.code + "X",
        "titel": p.titel,
        "beschrijving": "",
        "ankers-TOTAL_FORMS": "0",
        "ankers-INITIAL_FORMS": "0",
        "ankers-MIN_NUM_FORMS": "0",
        "ankers-MAX_NUM_FORMS": "1000",
    }
    client.post(f"/beheer/oproepen/beleidsprioriteit/{p.pk}/change/", data)
    p.refresh_from_db()
    assert p.oproep_id == in_behandeling.oproep_id


def test_a_call_scale_that_would_leave_out_an_anchor_is_refused(oproep):
    prioriteit = oproep.prioriteiten.first()
    Scoreanker.objects.create(prioriteit=prioriteit, score=5, betekenis="Volledig")
    oproep.score_max = 4
    with pytest.raises(ValidationError) as exc:
        oproep.full_clean()
    assert "scoreankers voor score 5" in str(exc.value)
    oproep.score_max = 6
    oproep.full_clean()


def test_the_queue_says_when_a_proposal_waits_for_a_second_reviewer(vier_ogen, beoordelaar):
    client = client_for(beoordelaar)
    url = f"/beoordeling/?oproep={vier_ogen.oproep.slug}"
    assert "Voorstel wacht op bevestiging" not in client.get(url).content.decode()
    _goedkeuring(vier_ogen, beoordelaar)
    assert "Voorstel wacht op bevestiging" in client.get(url).content.decode()
