"""WSE's review of an aanvraag: the lead, changes requested, questions, notes, reviews, decision,
withdrawal and extensions, as services; what the regisseurs are told by e-mail, and what never."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from applications.aanvragen.deadline import effective_deadline, is_open_for_editing
from applications.aanvragen.models import Aanvraag, Indiening, Statuswijziging, Verlenging
from applications.aanvragen.services import (
    aanvraag_update,
    aanvraag_withdraw,
    actie_save,
    verlenging_add,
)
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import aanvraag_submit
from applications.accounts.models import User
from applications.beoordeling.constants import Advies
from applications.beoordeling.models import Beoordeling, Beslissing, Notitie, Score, Vraag
from applications.beoordeling.selectors import toegekend_in_oproep
from applications.beoordeling.services import (
    aanvraag_decide,
    aanvraag_request_changes,
    aanvraag_take,
    beoordeling_save,
    notitie_add,
    vraag_beantwoorden,
    vraag_stellen,
)
from applications.oproepen.models import Oproep

from ..aanvraag_helpers import fill_everything
from ..factories import AanvraagFactory, UserFactory
from ..pdf_helpers import pdf_text

pytestmark = pytest.mark.django_db

S = AanvraagStatus


def _reload(aanvraag: Aanvraag) -> Aanvraag:
    return Aanvraag.objects.get(pk=aanvraag.pk)


def _submitted(aanvraag: Aanvraag, regisseur: User) -> Aanvraag:
    """A complete aanvraag, submitted (sealed version 1)."""
    fill_everything(aanvraag, regisseur)
    aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    return _reload(aanvraag)


def _in_review(aanvraag: Aanvraag, regisseur: User, beoordelaar: User) -> Aanvraag:
    """Submitted, then taken by the reviewer."""
    _submitted(aanvraag, regisseur)
    aanvraag_take(aanvraag=aanvraag, by=beoordelaar)
    return _reload(aanvraag)


def _in_behandeling(verband: Any, oproep: Oproep, beoordelaar: User) -> Aanvraag:
    """An aanvraag in review straight from the factory (no sealed PDF needed for a decision)."""
    return AanvraagFactory.create(
        regieverband=verband,
        oproep=oproep,
        in_behandeling=True,
        ingediend_op=oproep.deadline - datetime.timedelta(days=3),
        behandelaar=beoordelaar,
    )


def _review_input(oproep: Oproep, *, score: int | None = None, tag: str = "") -> dict[str, Any]:
    """A complete, valid review of an aanvraag of `oproep`."""
    score = oproep.score_max if score is None else score
    return {
        "scores": {
            p.pk: (score, f"Scoremotivatie {p.code} {tag}".strip())
            for p in oproep.prioriteiten.all()
        },
        "advies": Advies.GOEDKEUREN,
        "motivatie": f"Adviesmotivatie {tag}".strip(),
        "bedragen": {jaar: Decimal("100000.00") for jaar in oproep.jaren},
    }


def _mail_text(message: Any) -> str:
    """Subject, plain text and every alternative (HTML) of an e-mail, as one string."""
    parts = [message.subject, message.body]
    parts += [content for content, _mimetype in getattr(message, "alternatives", [])]
    return "\n".join(parts)


@pytest.fixture
def regisseur2(verband):
    """A second regisseur of the same verband: e-mails go to both."""
    return UserFactory.create(regisseur_van=[verband], email="alice2@example.org")


@pytest.fixture
def beoordelaar2(db):
    return UserFactory.create(beoordelaar=True, email="erik@example.org")


# --- Taking the lead ------------------------------------------------------------------------------


def test_reviewer_takes_submitted_aanvraag_into_review(verband, oproep, beoordelaar):
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, ingediend=True)
    aanvraag_take(aanvraag=aanvraag, by=beoordelaar)

    aanvraag.refresh_from_db()
    assert aanvraag.status == S.IN_BEHANDELING
    assert aanvraag.behandelaar == beoordelaar
    history = Statuswijziging.objects.get(aanvraag=aanvraag)
    assert (history.van, history.naar, history.door) == (S.INGEDIEND, S.IN_BEHANDELING, beoordelaar)
    notitie = Notitie.objects.get(aanvraag=aanvraag)
    assert notitie.door == beoordelaar
    assert str(beoordelaar) in notitie.tekst


def test_reviewer_assigns_aanvraag_to_a_colleague_reviewer(
    verband, oproep, beoordelaar, beoordelaar2
):
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, ingediend=True)
    aanvraag_take(aanvraag=aanvraag, by=beoordelaar, behandelaar=beoordelaar2)

    aanvraag.refresh_from_db()
    assert aanvraag.behandelaar == beoordelaar2
    assert aanvraag.status == S.IN_BEHANDELING
    notitie = Notitie.objects.get(aanvraag=aanvraag)
    assert notitie.door == beoordelaar
    assert str(beoordelaar) in notitie.tekst
    assert str(beoordelaar2) in notitie.tekst


def test_reassigning_an_aanvraag_in_review_changes_the_lead_and_notes_it(
    verband, oproep, beoordelaar, beoordelaar2
):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    # A colleague cannot take it over; the lead hands it on.
    with pytest.raises(PermissionDenied):
        aanvraag_take(aanvraag=aanvraag, by=beoordelaar2)
    aanvraag_take(aanvraag=aanvraag, by=beoordelaar, behandelaar=beoordelaar2)

    aanvraag.refresh_from_db()
    assert aanvraag.behandelaar == beoordelaar2
    assert aanvraag.status == S.IN_BEHANDELING
    assert not Statuswijziging.objects.filter(aanvraag=aanvraag).exists()
    assert Notitie.objects.get(aanvraag=aanvraag).door == beoordelaar


@pytest.mark.parametrize("wie", ["regisseur", "beheerder", "inactive_reviewer"])
def test_assigning_to_someone_who_is_not_an_active_reviewer_is_refused(
    wie, verband, oproep, beoordelaar, request
):
    if wie == "inactive_reviewer":
        behandelaar = UserFactory.create(beoordelaar=True, is_active=False)
    else:
        behandelaar = request.getfixturevalue(wie)
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, ingediend=True)

    with pytest.raises(ValidationError) as exc:
        aanvraag_take(aanvraag=aanvraag, by=beoordelaar, behandelaar=behandelaar)
    assert exc.value.code == "not_a_reviewer"
    assert str(behandelaar) in exc.value.messages[0]
    aanvraag.refresh_from_db()
    assert (aanvraag.status, aanvraag.behandelaar) == (S.INGEDIEND, None)
    assert not Notitie.objects.filter(aanvraag=aanvraag).exists()


@pytest.mark.parametrize("wie", ["regisseur", "beheerder", "collega"])
def test_only_a_reviewer_can_take_an_aanvraag(wie, verband, oproep, request):
    user = request.getfixturevalue(wie)
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, ingediend=True)

    with pytest.raises(PermissionDenied):
        aanvraag_take(aanvraag=aanvraag, by=user)
    aanvraag.refresh_from_db()
    assert (aanvraag.status, aanvraag.behandelaar) == (S.INGEDIEND, None)
    assert not Notitie.objects.filter(aanvraag=aanvraag).exists()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (S.CONCEPT, "nog niet ingediend"),
        (S.GOEDGEKEURD, "goedgekeurd; de behandeling is afgesloten"),
        (S.AFGEWEZEN, "afgewezen; de behandeling is afgesloten"),
        (S.INGETROKKEN, "ingetrokken; de behandeling is afgesloten"),
    ],
)
def test_taking_a_draft_or_a_closed_aanvraag_is_refused(
    status, message, verband, oproep, beoordelaar
):
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, status=status)

    with pytest.raises(ValidationError) as exc:
        aanvraag_take(aanvraag=aanvraag, by=beoordelaar)
    assert message in exc.value.messages[0]
    aanvraag.refresh_from_db()
    assert (aanvraag.status, aanvraag.behandelaar) == (status, None)
    assert not Notitie.objects.filter(aanvraag=aanvraag).exists()
    assert not Statuswijziging.objects.filter(aanvraag=aanvraag).exists()


def test_taking_an_aanvraag_one_already_leads_writes_nothing(verband, oproep, beoordelaar):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    aanvraag_take(aanvraag=aanvraag, by=beoordelaar)
    assert not Notitie.objects.filter(aanvraag=aanvraag).exists()
    assert not Statuswijziging.objects.filter(aanvraag=aanvraag).exists()


def test_lead_reviewer_takes_a_resubmitted_aanvraag_back_into_review(verband, oproep, beoordelaar):
    """After changes were asked and the aanvraag resubmitted, it is 'ingediend' again with the
    same lead; taking it must put it back in review, or no decision could ever be made."""
    aanvraag = AanvraagFactory.create(
        regieverband=verband, oproep=oproep, ingediend=True, behandelaar=beoordelaar
    )
    aanvraag_take(aanvraag=aanvraag, by=beoordelaar)

    aanvraag.refresh_from_db()
    assert aanvraag.status == S.IN_BEHANDELING
    assert aanvraag.behandelaar == beoordelaar
    history = Statuswijziging.objects.get(aanvraag=aanvraag)
    assert (history.van, history.naar) == (S.INGEDIEND, S.IN_BEHANDELING)


# --- Changes requested ----------------------------------------------------------------------------


def test_changes_with_a_due_date_in_the_past_are_refused(
    aanvraag, regisseur, beoordelaar, django_capture_on_commit_callbacks, mailoutbox
):
    _in_review(aanvraag, regisseur, beoordelaar)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        aanvraag_request_changes(
            aanvraag=aanvraag,
            by=beoordelaar,
            reden="Vul de actie aan.",
            tot=timezone.now() - datetime.timedelta(minutes=1),
        )
    assert "tot" in exc.value.message_dict
    aanvraag.refresh_from_db()
    assert (aanvraag.status, aanvraag.wijzigingen_tot) == (S.IN_BEHANDELING, None)
    assert not aanvraag.statuswijzigingen.filter(naar=S.WIJZIGINGEN_GEVRAAGD).exists()
    assert mailoutbox == []


@pytest.mark.parametrize("reden", ["", "   \n"])
def test_changes_without_a_reason_are_refused(reden, verband, oproep, beoordelaar):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    with pytest.raises(ValidationError) as exc:
        aanvraag_request_changes(
            aanvraag=aanvraag,
            by=beoordelaar,
            reden=reden,
            tot=timezone.now() + datetime.timedelta(days=7),
        )
    assert "reden" in exc.value.message_dict
    aanvraag.refresh_from_db()
    assert (aanvraag.status, aanvraag.wijzigingen_tot) == (S.IN_BEHANDELING, None)


def test_regisseur_cannot_ask_for_changes(verband, oproep, beoordelaar, regisseur):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    with pytest.raises(PermissionDenied):
        aanvraag_request_changes(
            aanvraag=aanvraag,
            by=regisseur,
            reden="Zelf terugsturen.",
            tot=timezone.now() + datetime.timedelta(days=7),
        )
    assert _reload(aanvraag).status == S.IN_BEHANDELING


def test_changes_requested_reopen_editing_until_the_due_date_and_resubmission_is_version_2(
    aanvraag, regisseur, beoordelaar
):
    _in_review(aanvraag, regisseur, beoordelaar)
    now = timezone.now().replace(microsecond=0)
    tot = now + datetime.timedelta(days=10)
    aanvraag_request_changes(
        aanvraag=aanvraag, by=beoordelaar, reden="Vul de visie aan.", tot=tot, now=now
    )

    aanvraag = _reload(aanvraag)
    assert aanvraag.status == S.WIJZIGINGEN_GEVRAAGD
    assert aanvraag.wijzigingen_tot == tot
    history = aanvraag.statuswijzigingen.get(naar=S.WIJZIGINGEN_GEVRAAGD)
    assert (history.van, history.door, history.reden) == (
        S.IN_BEHANDELING,
        beoordelaar,
        "Vul de visie aan.",
    )
    assert is_open_for_editing(aanvraag, now=now)
    assert is_open_for_editing(aanvraag, now=tot)
    assert not is_open_for_editing(aanvraag, now=tot + datetime.timedelta(seconds=1))

    aanvraag_update(
        aanvraag=aanvraag,
        by=regisseur,
        versie=aanvraag.versie,
        changes={"visie": "Aangevulde visie."},
    )
    aanvraag_submit(aanvraag=aanvraag, by=regisseur)

    aanvraag = _reload(aanvraag)
    assert aanvraag.status == S.INGEDIEND
    assert aanvraag.visie == "Aangevulde visie."
    assert list(aanvraag.indieningen.order_by("nummer").values_list("nummer", flat=True)) == [1, 2]
    assert Indiening.objects.get(aanvraag=aanvraag, nummer=2).inhoud["visie"] == (
        "Aangevulde visie."
    )


def test_resubmission_after_the_due_date_is_refused(aanvraag, regisseur, beoordelaar):
    _in_review(aanvraag, regisseur, beoordelaar)
    tot = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    aanvraag_request_changes(aanvraag=aanvraag, by=beoordelaar, reden="Vul aan.", tot=tot)

    with pytest.raises(ValidationError) as exc:
        aanvraag_submit(aanvraag=aanvraag, by=regisseur, now=tot + datetime.timedelta(seconds=1))
    assert exc.value.code == "deadline_passed"
    aanvraag = _reload(aanvraag)
    assert aanvraag.status == S.WIJZIGINGEN_GEVRAAGD
    assert aanvraag.indieningen.count() == 1


def test_changes_requested_email_tells_the_regisseurs_the_due_date_in_dutch(
    verband,
    oproep,
    regisseur,
    regisseur2,
    collega,
    beoordelaar,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    UserFactory.create(regisseur_van=[verband], email="oud@example.org", is_active=False)
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    # 23:30 UTC in March is 00:30 the next day in Brussels (CET).
    tot = datetime.datetime(2029, 3, 5, 23, 30, tzinfo=datetime.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        aanvraag_request_changes(
            aanvraag=aanvraag, by=beoordelaar, reden="Splits actie 3 op per doelgroep.", tot=tot
        )

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == sorted([regisseur.email, regisseur2.email])
    assert aanvraag.referentie in message.subject
    for text in (message.body, message.alternatives[0][0]):
        assert "Splits actie 3 op per doelgroep." in text
        assert "dinsdag 6 maart 2029 om 00:30:00" in text


# --- Questions and answers ------------------------------------------------------------------------


def test_question_is_emailed_to_the_verbands_regisseurs(
    verband,
    oproep,
    regisseur,
    regisseur2,
    collega,
    beoordelaar,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, ingediend=True)
    with django_capture_on_commit_callbacks(execute=True):
        vraag = vraag_stellen(
            aanvraag=aanvraag, by=beoordelaar, tekst="  Welke partners doen mee aan actie 2?  "
        )

    assert vraag.tekst == "Welke partners doen mee aan actie 2?"
    assert (vraag.gesteld_door, vraag.is_beantwoord) == (beoordelaar, False)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == sorted([regisseur.email, regisseur2.email])
    assert aanvraag.referentie in message.subject
    assert "Welke partners doen mee aan actie 2?" in message.body
    assert "Welke partners doen mee aan actie 2?" in message.alternatives[0][0]


def test_regisseur_cannot_ask_a_question(verband, oproep, regisseur):
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, ingediend=True)
    with pytest.raises(PermissionDenied):
        vraag_stellen(aanvraag=aanvraag, by=regisseur, tekst="Mag dit?")
    assert not Vraag.objects.exists()


def test_question_about_a_draft_is_refused(aanvraag, beoordelaar):
    with pytest.raises(ValidationError) as exc:
        vraag_stellen(aanvraag=aanvraag, by=beoordelaar, tekst="Al klaar?")
    assert exc.value.code == "not_submitted"
    assert not Vraag.objects.exists()


def test_answer_is_emailed_to_the_reviewer_who_asked(
    verband,
    oproep,
    regisseur,
    beoordelaar,
    beoordelaar2,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    vraag = vraag_stellen(aanvraag=aanvraag, by=beoordelaar2, tekst="Hoeveel deelnemers?")
    with django_capture_on_commit_callbacks(execute=True):
        vraag_beantwoorden(vraag=vraag, by=regisseur, antwoord="Ongeveer veertig.")

    vraag.refresh_from_db()
    assert (vraag.antwoord, vraag.beantwoord_door, vraag.is_beantwoord) == (
        "Ongeveer veertig.",
        regisseur,
        True,
    )
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [beoordelaar2.email]
    assert "Hoeveel deelnemers?" in message.body
    assert "Ongeveer veertig." in message.body
    assert "Ongeveer veertig." in message.alternatives[0][0]


def test_regisseur_of_another_verband_cannot_answer(
    verband, oproep, collega, beoordelaar, django_capture_on_commit_callbacks, mailoutbox
):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    vraag = vraag_stellen(aanvraag=aanvraag, by=beoordelaar, tekst="Wie trekt?")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        vraag_beantwoorden(vraag=vraag, by=collega, antwoord="Wij.")
    vraag.refresh_from_db()
    assert (vraag.antwoord, vraag.is_beantwoord) == ("", False)
    assert mailoutbox == []


def test_question_is_answered_only_once(verband, oproep, regisseur, regisseur2, beoordelaar):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    vraag = vraag_stellen(aanvraag=aanvraag, by=beoordelaar, tekst="Wie trekt?")
    vraag_beantwoorden(vraag=vraag, by=regisseur, antwoord="De stad.")

    with pytest.raises(ValidationError) as exc:
        vraag_beantwoorden(vraag=vraag, by=regisseur2, antwoord="De OCMW.")
    assert exc.value.code == "already_answered"
    vraag.refresh_from_db()
    assert (vraag.antwoord, vraag.beantwoord_door) == ("De stad.", regisseur)


@pytest.mark.parametrize("antwoord", ["", "  \n "])
def test_empty_answer_is_refused(antwoord, verband, oproep, regisseur, beoordelaar):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    vraag = vraag_stellen(aanvraag=aanvraag, by=beoordelaar, tekst="Wie trekt?")

    with pytest.raises(ValidationError) as exc:
        vraag_beantwoorden(vraag=vraag, by=regisseur, antwoord=antwoord)
    assert "antwoord" in exc.value.message_dict
    vraag.refresh_from_db()
    assert not vraag.is_beantwoord


# --- Internal notes -------------------------------------------------------------------------------


@pytest.mark.parametrize("wie", ["beoordelaar", "beheerder"])
def test_wse_writes_internal_notes(wie, aanvraag, request):
    user = request.getfixturevalue(wie)
    notitie = notitie_add(aanvraag=aanvraag, by=user, tekst=" Bel de trekker. ")
    assert Notitie.objects.get(aanvraag=aanvraag) == notitie
    assert (notitie.tekst, notitie.door) == ("Bel de trekker.", user)


@pytest.mark.parametrize("wie", ["regisseur", "collega"])
def test_regisseurs_cannot_write_internal_notes(wie, aanvraag, request):
    with pytest.raises(PermissionDenied):
        notitie_add(aanvraag=aanvraag, by=request.getfixturevalue(wie), tekst="Een notitie.")
    assert not Notitie.objects.exists()


# --- Reviews --------------------------------------------------------------------------------------


def test_full_review_is_saved_with_a_score_per_priority(verband, oproep, beoordelaar):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    data = _review_input(oproep, score=oproep.score_min)
    data["bedragen"][oproep.eerste_jaar] = Decimal("1234.5")
    beoordeling = beoordeling_save(aanvraag=aanvraag, by=beoordelaar, **data)

    beoordeling = Beoordeling.objects.get(pk=beoordeling.pk)
    assert (beoordeling.aanvraag, beoordeling.beoordelaar) == (aanvraag, beoordelaar)
    assert (beoordeling.advies, beoordeling.motivatie) == (Advies.GOEDKEUREN, "Adviesmotivatie")
    assert beoordeling.bedragen_per_jaar == {
        jaar: Decimal("1234.50") if jaar == oproep.eerste_jaar else Decimal("100000.00")
        for jaar in oproep.jaren
    }
    scores = {s.prioriteit_id: (s.score, s.motivatie) for s in beoordeling.scores.all()}
    assert scores == data["scores"]
    assert len(scores) == oproep.prioriteiten.count() == 4


def _drop_first_score(data: dict[str, Any], oproep: Oproep) -> str:
    first = oproep.prioriteiten.all()[0]
    del data["scores"][first.pk]
    return f"score_{first.pk}"


def _score(value: int) -> Any:
    def change(data: dict[str, Any], oproep: Oproep) -> str:
        last = list(oproep.prioriteiten.all())[-1]
        data["scores"][last.pk] = (value, "Motivatie.")
        return f"score_{last.pk}"

    return change


def _score_below_scale(data: dict[str, Any], oproep: Oproep) -> str:
    return _score(oproep.score_min - 1)(data, oproep)


def _score_above_scale(data: dict[str, Any], oproep: Oproep) -> str:
    return _score(oproep.score_max + 1)(data, oproep)


def _no_score_motivation(data: dict[str, Any], oproep: Oproep) -> str:
    first = oproep.prioriteiten.all()[0]
    data["scores"][first.pk] = (oproep.score_max, "  ")
    return f"motivatie_{first.pk}"


def _no_motivation(data: dict[str, Any], oproep: Oproep) -> str:
    data["motivatie"] = " "
    return "motivatie"


def _bad_advice(data: dict[str, Any], oproep: Oproep) -> str:
    data["advies"] = "misschien"
    return "advies"


def _amount_above_year_budget(data: dict[str, Any], oproep: Oproep) -> str:
    data["bedragen"][oproep.laatste_jaar] = oproep.jaarbudget + Decimal("0.01")
    return f"bedrag_{oproep.laatste_jaar}"


def _negative_amount(data: dict[str, Any], oproep: Oproep) -> str:
    data["bedragen"][oproep.eerste_jaar] = Decimal("-1")
    return f"bedrag_{oproep.eerste_jaar}"


def _missing_year(data: dict[str, Any], oproep: Oproep) -> str:
    del data["bedragen"][oproep.laatste_jaar]
    return "bedragen"


@pytest.mark.parametrize(
    "change",
    [
        _drop_first_score,
        _score_below_scale,
        _score_above_scale,
        _no_score_motivation,
        _no_motivation,
        _bad_advice,
        _amount_above_year_budget,
        _negative_amount,
        _missing_year,
    ],
    ids=lambda f: f.__name__.strip("_"),
)
def test_incomplete_or_invalid_review_is_refused_at_its_field(change, verband, oproep, beoordelaar):
    # A scale other than the default, so that the check follows the call's own scale.
    Oproep.objects.filter(pk=oproep.pk).update(score_min=2, score_max=10)
    oproep.refresh_from_db()
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    data = _review_input(oproep)
    key = change(data, oproep)

    with pytest.raises(ValidationError) as exc:
        beoordeling_save(aanvraag=aanvraag, by=beoordelaar, **data)
    assert key in exc.value.message_dict
    assert not Beoordeling.objects.exists()
    assert not Score.objects.exists()


def test_score_on_the_edges_of_the_calls_scale_is_accepted(verband, oproep, beoordelaar):
    Oproep.objects.filter(pk=oproep.pk).update(score_min=2, score_max=10)
    oproep.refresh_from_db()
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    data = _review_input(oproep, score=10)
    data["scores"][oproep.prioriteiten.all()[0].pk] = (2, "Zwak.")
    beoordeling_save(aanvraag=aanvraag, by=beoordelaar, **data)
    assert sorted(Score.objects.values_list("score", flat=True)) == [2, 10, 10, 10]


def test_second_save_by_the_same_reviewer_updates_their_review(verband, oproep, beoordelaar):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    beoordeling_save(aanvraag=aanvraag, by=beoordelaar, **_review_input(oproep, score=2))
    data = _review_input(oproep, score=4, tag="herzien")
    data["advies"] = Advies.ONDER_VOORWAARDEN
    beoordeling_save(aanvraag=aanvraag, by=beoordelaar, **data)

    beoordeling = Beoordeling.objects.get()
    assert (beoordeling.advies, beoordeling.motivatie) == (
        Advies.ONDER_VOORWAARDEN,
        "Adviesmotivatie herzien",
    )
    assert Score.objects.count() == 4
    assert set(beoordeling.scores.values_list("score", flat=True)) == {4}


def test_two_reviewers_each_have_their_own_review(verband, oproep, beoordelaar, beoordelaar2):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    beoordeling_save(aanvraag=aanvraag, by=beoordelaar, **_review_input(oproep, score=2))
    beoordeling_save(aanvraag=aanvraag, by=beoordelaar2, **_review_input(oproep, score=5))

    assert aanvraag.beoordelingen.count() == 2
    for reviewer, score in ((beoordelaar, 2), (beoordelaar2, 5)):
        beoordeling = aanvraag.beoordelingen.get(beoordelaar=reviewer)
        assert set(beoordeling.scores.values_list("score", flat=True)) == {score}


@pytest.mark.parametrize("wie", ["regisseur", "beheerder"])
def test_only_reviewers_review(wie, verband, oproep, beoordelaar, request):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    with pytest.raises(PermissionDenied):
        beoordeling_save(
            aanvraag=aanvraag, by=request.getfixturevalue(wie), **_review_input(oproep)
        )
    assert not Beoordeling.objects.exists()


# --- Decision -------------------------------------------------------------------------------------


def test_approval_records_the_decision_with_a_sealed_letter(
    verband, oproep, regisseur, beoordelaar
):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    beoordeling_save(
        aanvraag=aanvraag, by=beoordelaar, **_review_input(oproep, tag="GEHEIM-SCORE-7Q")
    )
    notitie_add(aanvraag=aanvraag, by=beoordelaar, tekst="GEHEIME-NOTITIE-3X")
    bedragen = {2030: Decimal("1234.56"), 2031: Decimal("2000000"), 2032: Decimal("0.5")}
    beslissing = aanvraag_decide(
        aanvraag=aanvraag,
        by=beoordelaar,
        uitkomst=S.GOEDGEKEURD,
        motivatie="De aanvraag sluit goed aan bij de prioriteiten.",
        bedragen=bedragen,
    )

    aanvraag = _reload(aanvraag)
    assert aanvraag.status == S.GOEDGEKEURD
    history = aanvraag.statuswijzigingen.get()
    assert (history.van, history.naar, history.door) == (
        S.IN_BEHANDELING,
        S.GOEDGEKEURD,
        beoordelaar,
    )
    beslissing = Beslissing.objects.get(aanvraag=aanvraag)
    assert (beslissing.uitkomst, beslissing.door) == (S.GOEDGEKEURD, beoordelaar)
    assert beslissing.bedragen_per_jaar == bedragen
    with beslissing.brief.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == beslissing.brief_sha256
    assert len(content) == beslissing.brief_grootte

    text = pdf_text(content)
    assert "Goedgekeurd" in text
    assert aanvraag.referentie in text
    assert verband.naam in text
    assert "EUR 1.234,56" in text
    assert "EUR 2.000.000,00" in text
    assert "EUR 0,50" in text
    assert "EUR 2.001.235,06" in text  # the total
    assert "De aanvraag sluit goed aan bij de prioriteiten." in text
    for secret in ("GEHEIM-SCORE-7Q", "GEHEIME-NOTITIE-3X", "Adviesmotivatie", "Scoremotivatie"):
        assert secret not in text


def test_refusal_records_the_decision_without_amounts(verband, oproep, beoordelaar):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    aanvraag_decide(
        aanvraag=aanvraag,
        by=beoordelaar,
        uitkomst=S.AFGEWEZEN,
        motivatie="De leden halen het minimum niet.",
        bedragen={jaar: Decimal("5000") for jaar in oproep.jaren},
    )

    assert _reload(aanvraag).status == S.AFGEWEZEN
    beslissing = Beslissing.objects.get(aanvraag=aanvraag)
    assert (beslissing.uitkomst, beslissing.bedragen, beslissing.totaal) == (
        S.AFGEWEZEN,
        {},
        Decimal(0),
    )
    with beslissing.brief.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Afgewezen" in text
    assert "De leden halen het minimum niet." in text
    assert "EUR" not in text
    assert toegekend_in_oproep(oproep) == {jaar: Decimal(0) for jaar in oproep.jaren}


def _assert_undecided(aanvraag: Aanvraag, status: str) -> None:
    aanvraag = _reload(aanvraag)
    assert aanvraag.status == status
    assert not Beslissing.objects.filter(aanvraag=aanvraag).exists()
    assert not aanvraag.statuswijzigingen.exists()


def test_approval_above_the_calls_yearly_budget_is_refused(verband, oproep, beoordelaar):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    bedragen = {jaar: Decimal("1000") for jaar in oproep.jaren}
    bedragen[2031] = oproep.jaarbudget + Decimal("0.01")

    with pytest.raises(ValidationError) as exc:
        aanvraag_decide(
            aanvraag=aanvraag,
            by=beoordelaar,
            uitkomst=S.GOEDGEKEURD,
            motivatie="Te veel.",
            bedragen=bedragen,
        )
    [message] = exc.value.message_dict["bedrag_2031"]
    assert "2031" in message
    assert "EUR 3.000.000,00" in message
    _assert_undecided(aanvraag, S.IN_BEHANDELING)


def test_approval_without_any_amount_is_refused(verband, oproep, beoordelaar):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    with pytest.raises(ValidationError) as exc:
        aanvraag_decide(
            aanvraag=aanvraag,
            by=beoordelaar,
            uitkomst=S.GOEDGEKEURD,
            motivatie="Goed.",
            bedragen={jaar: Decimal(0) for jaar in oproep.jaren},
        )
    assert "bedragen" in exc.value.message_dict
    _assert_undecided(aanvraag, S.IN_BEHANDELING)


def test_two_approvals_may_not_exceed_a_years_budget_together(
    verband, ander_verband, oproep, beoordelaar
):
    eerste = _in_behandeling(verband, oproep, beoordelaar)
    tweede = _in_behandeling(ander_verband, oproep, beoordelaar)
    aanvraag_decide(
        aanvraag=eerste,
        by=beoordelaar,
        uitkomst=S.GOEDGEKEURD,
        motivatie="Goed.",
        bedragen={2030: Decimal("2000000"), 2031: Decimal("10"), 2032: Decimal("10")},
    )
    te_veel = {2030: Decimal("1000000.01"), 2031: Decimal("10"), 2032: Decimal("10")}

    with pytest.raises(ValidationError) as exc:
        aanvraag_decide(
            aanvraag=tweede,
            by=beoordelaar,
            uitkomst=S.GOEDGEKEURD,
            motivatie="Ook.",
            bedragen=te_veel,
        )
    [message] = exc.value.message_dict["bedrag_2030"]
    assert "2030" in message
    assert "nog EUR 1.000.000,00" in message
    _assert_undecided(tweede, S.IN_BEHANDELING)

    # Exactly what is left still fits.
    aanvraag_decide(
        aanvraag=tweede,
        by=beoordelaar,
        uitkomst=S.GOEDGEKEURD,
        motivatie="Ook.",
        bedragen={**te_veel, 2030: Decimal("1000000.00")},
    )
    assert toegekend_in_oproep(oproep) == {
        2030: oproep.jaarbudget,
        2031: Decimal("20"),
        2032: Decimal("20"),
    }


def test_decision_on_a_withdrawn_aanvraag_is_refused(verband, oproep, beoordelaar):
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, ingetrokken=True)
    with pytest.raises(ValidationError) as exc:
        aanvraag_decide(
            aanvraag=aanvraag,
            by=beoordelaar,
            uitkomst=S.AFGEWEZEN,
            motivatie="Te laat.",
        )
    assert exc.value.code == "withdrawn"
    assert "ingetrokken" in exc.value.messages[0]
    _assert_undecided(aanvraag, S.INGETROKKEN)


@pytest.mark.parametrize(
    "status", [S.CONCEPT, S.INGEDIEND, S.WIJZIGINGEN_GEVRAAGD, S.GOEDGEKEURD, S.AFGEWEZEN]
)
def test_decision_needs_an_aanvraag_in_review(status, verband, oproep, beoordelaar):
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, status=status)
    with pytest.raises(ValidationError) as exc:
        aanvraag_decide(aanvraag=aanvraag, by=beoordelaar, uitkomst=S.AFGEWEZEN, motivatie="Nee.")
    assert exc.value.code == "transition_not_allowed"
    assert AanvraagStatus(status).label.lower() in exc.value.messages[0]
    _assert_undecided(aanvraag, status)


@pytest.mark.parametrize("wie", ["regisseur", "beheerder"])
def test_only_a_reviewer_decides(wie, verband, oproep, beoordelaar, request):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    with pytest.raises(PermissionDenied):
        aanvraag_decide(
            aanvraag=aanvraag,
            by=request.getfixturevalue(wie),
            uitkomst=S.AFGEWEZEN,
            motivatie="Nee.",
        )
    _assert_undecided(aanvraag, S.IN_BEHANDELING)


def test_decision_without_motivation_is_refused(verband, oproep, beoordelaar):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    with pytest.raises(ValidationError) as exc:
        aanvraag_decide(aanvraag=aanvraag, by=beoordelaar, uitkomst=S.AFGEWEZEN, motivatie="  ")
    assert "motivatie" in exc.value.message_dict
    _assert_undecided(aanvraag, S.IN_BEHANDELING)


def test_decision_email_tells_the_regisseurs_the_outcome(
    verband,
    oproep,
    regisseur,
    regisseur2,
    collega,
    beoordelaar,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    with django_capture_on_commit_callbacks(execute=True):
        aanvraag_decide(
            aanvraag=aanvraag,
            by=beoordelaar,
            uitkomst=S.GOEDGEKEURD,
            motivatie="Sterk plan.",
            bedragen={2030: Decimal("1234.56"), 2031: Decimal("1000"), 2032: Decimal("1000")},
        )

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == sorted([regisseur.email, regisseur2.email])
    assert aanvraag.referentie in message.subject
    assert "goedgekeurd" in message.subject
    for text in (message.body, message.alternatives[0][0]):
        assert "goedgekeurd" in text
        assert "Sterk plan." in text
        assert "EUR 1.234,56" in text
        assert "EUR 3.234,56" in text  # the total


def test_decision_email_is_in_dutch_when_the_reviewer_works_in_english(
    verband, oproep, regisseur, beoordelaar, django_capture_on_commit_callbacks, mailoutbox
):
    """The e-mail goes out after the commit, still in the reviewer's request (English here);
    the regisseurs read Dutch, subject included."""
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        aanvraag_decide(
            aanvraag=aanvraag, by=beoordelaar, uitkomst=S.AFGEWEZEN, motivatie="Onvolledig."
        )
    [message] = mailoutbox
    assert message.subject.endswith(": afgewezen")
    assert "afgewezen" in message.body


def test_emails_to_regisseurs_never_carry_internal_notes_or_reviews(
    aanvraag,
    regisseur,
    beoordelaar,
    beoordelaar2,
    settings,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    """The whole review, from submission to decision: every e-mail the regisseurs get is free
    of what only WSE sees."""
    settings.WSE_EMAIL = ""
    secrets = ("NOTITIE-ZX81", "SCOREMOTIVATIE-QW17", "ADVIESMOTIVATIE-PK33")
    oproep = aanvraag.oproep
    with django_capture_on_commit_callbacks(execute=True):
        _in_review(aanvraag, regisseur, beoordelaar)
        notitie_add(aanvraag=aanvraag, by=beoordelaar, tekst=f"Intern: {secrets[0]}")
        review = _review_input(oproep, score=3)
        review["scores"] = {pk: (3, f"Sterk {secrets[1]}") for pk in review["scores"]}
        review["motivatie"] = f"Goed {secrets[2]}"
        beoordeling_save(aanvraag=aanvraag, by=beoordelaar2, **review)
        vraag = vraag_stellen(aanvraag=aanvraag, by=beoordelaar, tekst="Wie trekt?")
        vraag_beantwoorden(vraag=vraag, by=regisseur, antwoord="De stad.")
        aanvraag_request_changes(
            aanvraag=aanvraag,
            by=beoordelaar,
            reden="Vul de visie aan.",
            tot=timezone.now() + datetime.timedelta(days=7),
        )
        aanvraag_submit(aanvraag=aanvraag, by=regisseur)
        aanvraag_take(aanvraag=aanvraag, by=beoordelaar)
        aanvraag_decide(
            aanvraag=aanvraag,
            by=beoordelaar,
            uitkomst=S.GOEDGEKEURD,
            motivatie="Sterk plan.",
            bedragen={jaar: Decimal("1000") for jaar in oproep.jaren},
        )

    assert _reload(aanvraag).status == S.GOEDGEKEURD
    to_regisseurs = [m for m in mailoutbox if regisseur.email in m.to]
    # Submitted twice, a question, changes requested, the decision.
    assert len(to_regisseurs) == 5
    for message in to_regisseurs:
        text = _mail_text(message)
        for secret in secrets:
            assert secret not in text, message.subject
        assert "score" not in text.lower(), message.subject
    # The reviewer who asked got the answer; nothing else went to WSE's reviewers.
    [answer] = [m for m in mailoutbox if regisseur.email not in m.to]
    assert answer.to == [beoordelaar.email]


# --- Withdrawal -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [S.CONCEPT, S.INGEDIEND, S.IN_BEHANDELING, S.WIJZIGINGEN_GEVRAAGD]
)
def test_regisseur_withdraws_before_the_decision(status, verband, oproep, regisseur):
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, status=status)
    aanvraag_withdraw(aanvraag=aanvraag, by=regisseur, reden=" We dienen niet in. ")

    assert _reload(aanvraag).status == S.INGETROKKEN
    history = aanvraag.statuswijzigingen.get()
    assert (history.van, history.naar, history.door, history.reden) == (
        status,
        S.INGETROKKEN,
        regisseur,
        "We dienen niet in.",
    )


@pytest.mark.parametrize("status", [S.GOEDGEKEURD, S.AFGEWEZEN])
def test_withdrawal_after_the_decision_is_refused(status, verband, oproep, regisseur):
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, status=status)
    with pytest.raises(ValidationError) as exc:
        aanvraag_withdraw(aanvraag=aanvraag, by=regisseur)
    assert exc.value.code == "decided"
    assert _reload(aanvraag).status == status
    assert not aanvraag.statuswijzigingen.exists()


@pytest.mark.parametrize("wie", ["beoordelaar", "beheerder", "collega"])
def test_only_the_verbands_regisseurs_withdraw(wie, verband, oproep, request):
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, ingediend=True)
    with pytest.raises(PermissionDenied):
        aanvraag_withdraw(aanvraag=aanvraag, by=request.getfixturevalue(wie))
    assert _reload(aanvraag).status == S.INGEDIEND


# --- Extensions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("wie", ["beoordelaar", "beheerder"])
def test_extension_reopens_a_draft_after_the_deadline(wie, aanvraag, regisseur, request):
    user = request.getfixturevalue(wie)
    deadline = aanvraag.oproep.deadline
    now = deadline + datetime.timedelta(days=2)
    tot = deadline + datetime.timedelta(days=7)
    assert not is_open_for_editing(aanvraag, now=now)

    verlenging = verlenging_add(
        aanvraag=aanvraag, by=user, tot=tot, reden="Ziekte van de regisseur.", now=now
    )

    assert (verlenging.tot, verlenging.toegekend_door, verlenging.reden) == (
        tot,
        user,
        "Ziekte van de regisseur.",
    )
    aanvraag = _reload(aanvraag)
    assert effective_deadline(aanvraag) == tot
    assert is_open_for_editing(aanvraag, now=now)
    assert is_open_for_editing(aanvraag, now=tot)
    assert not is_open_for_editing(aanvraag, now=tot + datetime.timedelta(seconds=1))
    aanvraag_update(
        aanvraag=aanvraag,
        by=regisseur,
        versie=aanvraag.versie,
        changes={"visie": "Na uitstel."},
        now=now,
    )
    assert _reload(aanvraag).visie == "Na uitstel."


@pytest.mark.parametrize("days", [-1, 0], ids=["before-now", "now"])
def test_extension_not_later_than_now_is_refused(days, aanvraag, beoordelaar):
    now = aanvraag.oproep.deadline + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        verlenging_add(
            aanvraag=aanvraag,
            by=beoordelaar,
            tot=now + datetime.timedelta(days=days),
            reden="Vergissing.",
            now=now,
        )
    assert "tot" in exc.value.message_dict
    assert not Verlenging.objects.exists()


def test_extension_earlier_than_the_calls_deadline_is_refused(aanvraag, beoordelaar):
    deadline = aanvraag.oproep.deadline
    now = deadline - datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as exc:
        verlenging_add(
            aanvraag=aanvraag,
            by=beoordelaar,
            tot=deadline - datetime.timedelta(days=1),
            reden="Korter.",
            now=now,
        )
    assert "tot" in exc.value.message_dict
    assert not Verlenging.objects.exists()


@pytest.mark.parametrize("wie", ["regisseur", "collega"])
def test_regisseurs_cannot_grant_extensions(wie, aanvraag, request):
    now = aanvraag.oproep.deadline + datetime.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        verlenging_add(
            aanvraag=aanvraag,
            by=request.getfixturevalue(wie),
            tot=now + datetime.timedelta(days=3),
            reden="Graag.",
            now=now,
        )
    assert not Verlenging.objects.exists()
    assert not is_open_for_editing(aanvraag, now=now)


# --- WSE does not change the applicant's content --------------------------------------------------


@pytest.mark.parametrize("wie", ["beoordelaar", "beheerder"])
@pytest.mark.parametrize("status", [S.CONCEPT, S.WIJZIGINGEN_GEVRAAGD])
def test_wse_cannot_change_the_applicants_content(wie, status, verband, oproep, request):
    user = request.getfixturevalue(wie)
    aanvraag = AanvraagFactory.create(
        regieverband=verband, oproep=oproep, status=status, visie="Van de regisseurs."
    )
    with pytest.raises(PermissionDenied):
        aanvraag_update(
            aanvraag=aanvraag, by=user, versie=aanvraag.versie, changes={"visie": "Van WSE."}
        )
    with pytest.raises(PermissionDenied):
        actie_save(
            aanvraag=aanvraag,
            by=user,
            data={
                "prioriteit": oproep.prioriteiten.first(),
                "jaar": oproep.eerste_jaar,
                "titel": "Actie van WSE",
                "beschrijving": "",
                "doelgroep": "",
                "verwacht_resultaat": "",
                "indicator": "",
                "partners": "",
                "budget": Decimal("1.00"),
            },
        )
    aanvraag = _reload(aanvraag)
    assert (aanvraag.visie, aanvraag.versie) == ("Van de regisseurs.", 1)
    assert not aanvraag.acties.exists()


def test_reviewer_takes_back_an_aanvraag_whose_due_date_passed_without_resubmission(
    aanvraag, regisseur, beoordelaar
):
    _in_review(aanvraag, regisseur, beoordelaar)
    tot = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    aanvraag_request_changes(aanvraag=aanvraag, by=beoordelaar, reden="Vul aan.", tot=tot)

    # Before the due date the regisseurs still have the aanvraag: taking it changes nothing.
    aanvraag_take(aanvraag=_reload(aanvraag), by=beoordelaar, now=tot)
    assert _reload(aanvraag).status == S.WIJZIGINGEN_GEVRAAGD

    later = tot + datetime.timedelta(seconds=1)
    aanvraag_take(aanvraag=_reload(aanvraag), by=beoordelaar, now=later)
    aanvraag = _reload(aanvraag)
    assert aanvraag.status == S.IN_BEHANDELING
    assert aanvraag.indieningen.count() == 1  # WSE decides on the version it has


def test_an_extension_of_the_first_deadline_does_not_stretch_the_time_for_changes(
    aanvraag, regisseur, beoordelaar
):
    # An extension granted to the draft, far beyond the due date set later for changes.
    verlenging_add(
        aanvraag=aanvraag,
        by=beoordelaar,
        tot=aanvraag.oproep.deadline + datetime.timedelta(days=60),
        reden="Fusie van twee leden.",
    )
    _in_review(aanvraag, regisseur, beoordelaar)
    tot = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    aanvraag_request_changes(aanvraag=aanvraag, by=beoordelaar, reden="Vul aan.", tot=tot)
    aanvraag = _reload(aanvraag)
    assert effective_deadline(aanvraag) == tot

    # An extension granted now, for the changes, does count.
    nieuw = tot + datetime.timedelta(days=5)
    verlenging_add(aanvraag=aanvraag, by=beoordelaar, tot=nieuw, reden="Ziekte.")
    assert effective_deadline(_reload(aanvraag)) == nieuw


def test_the_letter_names_its_legal_basis_conditions_and_bezwaar_and_is_signed_for_the_department(
    verband, oproep, beoordelaar, settings
):
    settings.REGIEROL_ONDERTEKENAAR_NAAM = "Anna Voorbeeld"
    settings.REGIEROL_ONDERTEKENAAR_FUNCTIE = "Afdelingshoofd Sociale Economie"
    oproep.voorwaarden = "De acties staan in het BBC-meerjarenplan van de trekker."
    oproep.bezwaar_termijn_dagen = 30
    oproep.bezwaar_bij = "bezwaar@wse.example.org"
    oproep.save()
    beoordelaar.first_name, beoordelaar.last_name = "Bert", "Beoordelaar"
    beoordelaar.save()
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    beslissing = aanvraag_decide(
        aanvraag=aanvraag,
        by=beoordelaar,
        uitkomst=S.GOEDGEKEURD,
        motivatie="Goed.",
        bedragen={jaar: Decimal("1000") for jaar in oproep.jaren},
    )
    with beslissing.brief.open("rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    assert (
        "op grond van het decreet van 17 februari 2012, artikel 15, en het besluit van de "
        "Vlaamse Regering van 29 april 2022" in text
    )
    for jaar in oproep.jaren:
        assert f"{jaar} EUR 1.000,00" in text
    assert "Voorwaarden De acties staan in het BBC-meerjarenplan van de trekker." in text
    assert (
        "binnen 30 dagen na de ontvangst van deze brief een gemotiveerd bezwaar indienen bij "
        f"bezwaar@wse.example.org. Vermeld de referentie {aanvraag.referentie}." in text
    )
    assert (
        "Voor het Departement Werk en Sociale Economie, Anna Voorbeeld Afdelingshoofd Sociale "
        "Economie" in text
    )
    assert "Bert Beoordelaar" not in text, "signed for the department, not by the reviewer"


def test_without_the_calls_settings_the_letter_has_no_empty_paragraphs(
    verband, oproep, beoordelaar
):
    aanvraag = _in_behandeling(verband, oproep, beoordelaar)
    beslissing = aanvraag_decide(
        aanvraag=aanvraag,
        by=beoordelaar,
        uitkomst=S.AFGEWEZEN,
        motivatie="Onvoldoende.",
        bedragen={},
    )
    with beslissing.brief.open("rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    assert "Rechtsgrond" in text
    assert "Bezwaar" not in text and "Voorwaarden" not in text
    # The signature is followed by the page footer only: no person's name.
    assert "Voor het Departement Werk en Sociale Economie Aanvraag " in text
