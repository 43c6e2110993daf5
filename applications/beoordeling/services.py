"""Writes of WSE's review: taking an aanvraag in review, asking questions, notes, reviews with
scores, asking for changes and deciding. Keyword-only arguments, one transaction each."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.aanvragen.deadline import is_before_deadline
from applications.aanvragen.models import (
    Aanvraag,
)
from applications.aanvragen.permissions import ensure_dossier_niet_afgesloten
from applications.aanvragen.services import aanvraag_transition, lock_aanvraag
from applications.aanvragen.statuses import (
    CLOSED_STATUSES,
    DECIDED_STATUSES,
    AanvraagStatus,
)
from applications.accounts.models import User
from applications.accounts.permissions import ensure_wse
from applications.beoordeling import notifications, pdf
from applications.beoordeling.constants import Advies
from applications.beoordeling.models import (
    Bekeken,
    Beoordeling,
    BeoordelingConcept,
    Beslissing,
    Beslissingsvoorstel,
    Notitie,
    Score,
    Voorstelstatus,
    Vraag,
)
from applications.beoordeling.permissions import (
    can_review_aanvraag,
    can_see_as_wse,
    ensure_reviewer,
)
from applications.beoordeling.selectors import toegekend_in_oproep
from applications.besturen.permissions import is_regisseur_of
from applications.core.transactions import atomic_with_files, store_file
from applications.oproepen.models import Oproep


def aanvraag_bekeken(*, aanvraag: Aanvraag, by: User, now: datetime.datetime | None = None) -> None:
    """Remember that a WSE user opened the review page (made, or moved forward, never back);
    the page calls this on a first visit and when it showed something new (see `Bekeken`).

    `now` is when the page read the aanvraag: what arrives while the page is being made is
    newer than that, so the next visit still shows it. Only someone who sees WSE's view of
    the aanvraag (`can_see_as_wse`) has visits to remember.
    """
    if not can_see_as_wse(by, aanvraag):
        raise PermissionDenied(_("Alleen WSE ziet en schrijft dit."))
    op = now or timezone.now()
    # Never back in time: two pages opened at once may write their visits in the other order,
    # and what the later one showed was seen.
    with transaction.atomic():
        Bekeken.objects.bulk_create(
            [Bekeken(aanvraag=aanvraag, gebruiker=by, op=op)], ignore_conflicts=True
        )
        Bekeken.objects.filter(aanvraag=aanvraag, gebruiker=by, op__lt=op).update(op=op)


def _ensure_under_review(aanvraag: Aanvraag) -> None:
    if aanvraag.status == AanvraagStatus.CONCEPT:
        raise ValidationError(
            _("Deze aanvraag is nog niet ingediend; WSE behandelt ze pas na het indienen."),
            code="not_submitted",
        )
    if aanvraag.status in CLOSED_STATUSES:
        raise ValidationError(
            _("Deze aanvraag is %(status)s; de behandeling is afgesloten.")
            % {"status": AanvraagStatus(aanvraag.status).label.lower()},
            code="closed",
        )


@transaction.atomic
def aanvraag_take(
    *,
    aanvraag: Aanvraag,
    by: User,
    behandelaar: User | None = None,
    now: datetime.datetime | None = None,
) -> Aanvraag:
    """A reviewer takes the lead of an aanvraag, or the lead (or a beheerder) assigns it to a
    colleague.

    A submitted aanvraag goes "in behandeling" at the same time, and so does one whose due date
    for changes passed without a resubmission. A change of lead is written in the internal
    notes, in Dutch, so the trail shows who led when.
    """
    # A beheerder may hand an aanvraag to a reviewer, not take it.
    if not (by.is_beheerder and behandelaar is not None):
        ensure_reviewer(by, aanvraag)
    behandelaar = behandelaar or by
    if not (behandelaar.is_active and behandelaar.is_beoordelaar):
        raise ValidationError(
            _("%(naam)s is geen actieve WSE-beoordelaar.") % {"naam": behandelaar},
            code="not_a_reviewer",
        )
    if not can_review_aanvraag(behandelaar, aanvraag):
        raise ValidationError(
            _("%(naam)s is regisseur van dit regieverband.") % {"naam": behandelaar},
            code="own_verband",
        )
    now = now or timezone.now()
    locked = lock_aanvraag(aanvraag)
    _ensure_under_review(locked)
    # Once there is a lead, only the lead (or a beheerder) hands the aanvraag on: a colleague
    # cannot take it over, and with it the view of everyone's reviews.
    if locked.behandelaar_id not in (None, by.pk, behandelaar.pk) and not by.is_beheerder:
        raise PermissionDenied(
            _("%(naam)s leidt deze aanvraag; alleen die of een beheerder wijst ze toe.")
            % {"naam": locked.behandelaar}
        )
    with translation.override(settings.LANGUAGE_CODE):  # the record is Dutch for all readers
        tekst = (
            _("%(door)s nam de aanvraag in behandeling.") % {"door": by}
            if behandelaar == by
            else _("%(door)s wees de aanvraag toe aan %(naam)s.")
            % {"door": by, "naam": behandelaar}
        )
    if locked.behandelaar_id != behandelaar.pk:
        locked.behandelaar = behandelaar
        locked.save(update_fields=["behandelaar", "gewijzigd_op"])
        Notitie.objects.create(aanvraag=locked, tekst=tekst, door=by, op=now)
    # A resubmission after changes is "ingediend" again with the same lead: taking it puts it
    # back in review (the decision needs that), even though the lead does not change. So does
    # taking an aanvraag whose due date for changes passed without a resubmission: WSE then
    # decides on the version it has.
    terug_in_behandeling = locked.status == AanvraagStatus.INGEDIEND or (
        locked.status == AanvraagStatus.WIJZIGINGEN_GEVRAAGD
        and not is_before_deadline(locked, now=now)
    )
    if terug_in_behandeling and by.is_beoordelaar:
        # The status history is shown to the regisseurs: a neutral reason, never the note.
        with translation.override(settings.LANGUAGE_CODE):
            reden = _("In behandeling genomen door WSE.")
        aanvraag_transition(
            aanvraag=locked, naar=AanvraagStatus.IN_BEHANDELING, by=by, reden=reden, now=now
        )
    aanvraag.behandelaar = behandelaar
    aanvraag.status = locked.status
    return locked


@transaction.atomic
def aanvraag_request_changes(
    *,
    aanvraag: Aanvraag,
    by: User,
    reden: str,
    tot: datetime.datetime,
    now: datetime.datetime | None = None,
) -> Aanvraag:
    """Send the aanvraag back: editable for its regisseurs until `tot`, then resubmitted."""
    ensure_reviewer(by, aanvraag)
    now = now or timezone.now()
    if not reden.strip():
        raise ValidationError(
            {"reden": _("Schrijf welke wijzigingen u vraagt.")}, code="reden_required"
        )
    if tot <= now:
        raise ValidationError(
            {"tot": _("De termijn moet in de toekomst liggen.")}, code="due_in_past"
        )
    locked = lock_aanvraag(aanvraag)
    aanvraag_transition(
        aanvraag=locked, naar=AanvraagStatus.WIJZIGINGEN_GEVRAAGD, by=by, reden=reden, now=now
    )
    locked.wijzigingen_tot = tot
    locked.save(update_fields=["wijzigingen_tot", "gewijzigd_op"])
    # A proposed decision was about the version sent back.
    voorstellen_laten_vervallen(
        locked, by, now, gettext_noop("Wijzigingen gevraagd: het voorstel gold de vorige versie.")
    )
    aanvraag_id = locked.pk
    notifications.send_changes_requested(aanvraag_id=aanvraag_id)
    aanvraag.status, aanvraag.wijzigingen_tot = locked.status, tot
    return locked


@transaction.atomic
def vraag_stellen(
    *, aanvraag: Aanvraag, by: User, tekst: str, now: datetime.datetime | None = None
) -> Vraag:
    """A reviewer asks the regisseurs a question; they get an e-mail and answer in the portal."""
    ensure_reviewer(by, aanvraag)
    if not tekst.strip():
        raise ValidationError({"tekst": _("Schrijf de vraag.")}, code="required")
    locked = lock_aanvraag(aanvraag)
    _ensure_under_review(locked)
    vraag = Vraag.objects.create(
        aanvraag=locked, tekst=tekst.strip(), gesteld_door=by, gesteld_op=now or timezone.now()
    )
    notifications.send_question(vraag_id=vraag.pk)
    return vraag


@transaction.atomic
def vraag_beantwoorden(
    *, vraag: Vraag, by: User, antwoord: str, now: datetime.datetime | None = None
) -> Vraag:
    """A regisseur of the verband answers a question, once; the reviewer who asked is told."""
    locked = (
        Vraag.objects.select_for_update(of=("self",))
        .select_related("aanvraag__regieverband")
        .get(pk=vraag.pk)
    )
    if not is_regisseur_of(by, locked.aanvraag.regieverband):
        raise PermissionDenied(_("Alleen de regisseurs van dit regieverband antwoorden."))
    if locked.is_beantwoord:
        raise ValidationError(_("Deze vraag is al beantwoord."), code="already_answered")
    if locked.aanvraag.status in CLOSED_STATUSES:
        raise ValidationError(_("De behandeling van deze aanvraag is afgesloten."), code="closed")
    if not antwoord.strip():
        raise ValidationError({"antwoord": _("Schrijf uw antwoord.")}, code="required")
    locked.antwoord = antwoord.strip()
    locked.beantwoord_door = by
    locked.beantwoord_op = now or timezone.now()
    locked.save(update_fields=["antwoord", "beantwoord_door", "beantwoord_op"])
    notifications.send_answer(vraag_id=locked.pk)
    return locked


def notitie_add(
    *, aanvraag: Aanvraag, by: User, tekst: str, now: datetime.datetime | None = None
) -> Notitie:
    """An internal note: WSE only, never shown to the regisseurs. Refused on a closed dossier
    (`is_dossier_afgesloten`), like every other write to it."""
    ensure_wse(by)
    ensure_dossier_niet_afgesloten(aanvraag)
    if not tekst.strip():
        raise ValidationError({"tekst": _("Schrijf de notitie.")}, code="required")
    return Notitie.objects.create(
        aanvraag=aanvraag, tekst=tekst.strip(), door=by, op=now or timezone.now()
    )


def _check_bedragen(
    oproep: Oproep, bedragen: dict[int, Decimal], *, veld: str = "bedragen"
) -> dict[str, str]:
    """Amounts per year of the call: every year given, none negative, none above the yearly
    budget. Returned as JSON-ready text."""
    if set(bedragen) != set(oproep.jaren):
        raise ValidationError(
            {
                veld: _("Geef een bedrag voor elk jaar van de oproep (%(jaren)s).")
                % {"jaren": ", ".join(str(j) for j in oproep.jaren)}
            },
            code="years",
        )
    for jaar, bedrag in bedragen.items():
        # Per-year errors name the year's field (`bedrag_<year>`), so forms show them there.
        if bedrag < 0:
            raise ValidationError(
                {f"bedrag_{jaar}": _("Een bedrag kan niet negatief zijn.")}, code="negative"
            )
        if bedrag > oproep.jaarbudget:
            raise ValidationError(
                {
                    f"bedrag_{jaar}": _(
                        "%(jaar)s: EUR %(bedrag)s is meer dan het budget van de oproep voor een "
                        "jaar (EUR %(budget)s)."
                    )
                    % {
                        "jaar": jaar,
                        "bedrag": formats.number_format(bedrag, 2, force_grouping=True),
                        "budget": formats.number_format(oproep.jaarbudget, 2, force_grouping=True),
                    }
                },
                code="above_budget",
            )
    return {str(jaar): str(bedragen[jaar].quantize(Decimal("0.01"))) for jaar in oproep.jaren}


@transaction.atomic
def beoordeling_save(
    *,
    aanvraag: Aanvraag,
    by: User,
    scores: dict[int, tuple[int, str]],
    advies: str,
    motivatie: str,
    bedragen: dict[int, Decimal],
) -> Beoordeling:
    """Save this reviewer's review: a score with motivation for every priority of the call, an
    advice, a motivation and a proposed amount per year. A reviewer has one review per aanvraag
    and may revise it until the decision."""
    ensure_reviewer(by, aanvraag)
    locked = lock_aanvraag(aanvraag)
    _ensure_under_review(locked)
    oproep = locked.oproep
    prioriteiten = list(oproep.prioriteiten.all())
    errors: dict[str, list[str]] = {}
    for p in prioriteiten:
        if p.pk not in scores:
            errors.setdefault(f"score_{p.pk}", []).append(_("Geef een score."))
            continue
        score, score_motivatie = scores[p.pk]
        if not oproep.score_min <= score <= oproep.score_max:
            errors.setdefault(f"score_{p.pk}", []).append(
                _("Een score ligt tussen %(min)s en %(max)s.")
                % {"min": oproep.score_min, "max": oproep.score_max}
            )
        if not score_motivatie.strip():
            errors.setdefault(f"motivatie_{p.pk}", []).append(_("Motiveer de score."))
    if advies not in Advies.values:
        errors.setdefault("advies", []).append(_("Kies een advies."))
    if not motivatie.strip():
        errors.setdefault("motivatie", []).append(_("Motiveer het advies."))
    if errors:
        raise ValidationError(errors)
    bedragen_json = _check_bedragen(oproep, bedragen)
    beoordeling, _created = Beoordeling.objects.update_or_create(
        aanvraag=locked,
        beoordelaar=by,
        defaults={"advies": advies, "motivatie": motivatie.strip(), "bedragen": bedragen_json},
    )
    for p in prioriteiten:
        score, score_motivatie = scores[p.pk]
        Score.objects.update_or_create(
            beoordeling=beoordeling,
            prioriteit=p,
            defaults={"score": score, "motivatie": score_motivatie.strip()},
        )
    BeoordelingConcept.objects.filter(aanvraag=locked, beoordelaar=by).delete()
    return beoordeling


@transaction.atomic
def beoordeling_concept_save(
    *,
    aanvraag: Aanvraag,
    by: User,
    gegevens: dict[str, str],
    now: datetime.datetime | None = None,
) -> BeoordelingConcept:
    """Keep an unfinished review as typed (the form bounds each field), to finish later. Only
    its author sees it; a finished review of theirs stays as it was until they finish again."""
    ensure_reviewer(by, aanvraag)
    locked = lock_aanvraag(aanvraag)
    _ensure_under_review(locked)
    concept, _created = BeoordelingConcept.objects.update_or_create(
        aanvraag=locked,
        beoordelaar=by,
        defaults={"gegevens": gegevens, "bewaard_op": now or timezone.now()},
    )
    return concept


def beoordeling_concept_discard(*, aanvraag: Aanvraag, by: User) -> bool:
    """Throw this reviewer's draft away; whether there was one."""
    deleted, _per_model = BeoordelingConcept.objects.filter(
        aanvraag=aanvraag, beoordelaar=by
    ).delete()
    return deleted > 0


@atomic_with_files()
def aanvraag_decide(
    *,
    aanvraag: Aanvraag,
    by: User,
    uitkomst: AanvraagStatus,
    motivatie: str,
    bedragen: dict[int, Decimal] | None = None,
    now: datetime.datetime | None = None,
) -> Beslissing:
    """Record WSE's decision: approved with the granted amount per year, or refused.

    The call's budget is shared: an approval may not take a year over the call's yearly budget,
    counting what earlier decisions granted (the call's row is locked, so two decisions cannot
    both take the last euro). The decision letter is rendered and kept; the regisseurs are told.
    Under the call's vier-ogenprincipe one reviewer proposes (`beslissing_voorstellen`) and a
    second confirms (`voorstel_bevestigen`): deciding alone is refused.
    """
    return _beslis(
        aanvraag=aanvraag,
        by=by,
        uitkomst=uitkomst,
        motivatie=motivatie,
        bedragen=bedragen,
        now=now,
        bevestigd=False,
    )


def _beslis(
    *,
    aanvraag: Aanvraag,
    by: User,
    uitkomst: AanvraagStatus,
    motivatie: str,
    bedragen: dict[int, Decimal] | None,
    now: datetime.datetime | None,
    bevestigd: bool,
) -> Beslissing:
    """The decision itself; `bevestigd` when a second reviewer confirmed a proposal of it."""
    now = now or timezone.now()
    locked, bedragen_json = _controleer_beslissing(aanvraag, by, uitkomst, motivatie, bedragen)
    # Read with the aanvraag's lock: the setting as it is now, not as the page saw it.
    if locked.oproep.vier_ogen and not bevestigd:
        raise ValidationError(
            _(
                "Deze oproep volgt het vier-ogenprincipe: stel de beslissing voor; een tweede "
                "beoordelaar bevestigt ze."
            ),
            code="vier_ogen",
        )
    # Decided: a proposal still open (the setting was switched off meanwhile) no longer
    # applies, and drafts of reviews can never be finished.
    voorstellen_laten_vervallen(locked, by, now, gettext_noop("Er werd anders beslist."))
    BeoordelingConcept.objects.filter(aanvraag=locked).delete()
    aanvraag_transition(aanvraag=locked, naar=uitkomst, by=by, reden=motivatie, now=now)
    beslissing = Beslissing(
        aanvraag=locked,
        uitkomst=uitkomst,
        bedragen=bedragen_json,
        motivatie=motivatie.strip(),
        door=by,
        op=now,
    )
    content = pdf.render_beslissing(beslissing)
    beslissing.brief_sha256 = hashlib.sha256(content).hexdigest()
    beslissing.brief_grootte = len(content)
    store_file(beslissing.brief, "brief.pdf", ContentFile(content))
    beslissing.save()
    notifications.send_decision(aanvraag_id=locked.pk)
    aanvraag.status = locked.status
    return beslissing


@transaction.atomic
def beslissing_voorstellen(
    *,
    aanvraag: Aanvraag,
    by: User,
    uitkomst: AanvraagStatus,
    motivatie: str,
    bedragen: dict[int, Decimal] | None = None,
    now: datetime.datetime | None = None,
) -> Beslissingsvoorstel:
    """Under the vier-ogenprincipe: propose a decision, checked as the decision itself would be
    (budget included); nothing is decided until a second reviewer confirms it."""
    locked, bedragen_json = _controleer_beslissing(aanvraag, by, uitkomst, motivatie, bedragen)
    if not locked.oproep.vier_ogen:
        raise ValidationError(
            _("Deze oproep vraagt geen tweede beoordelaar: leg de beslissing meteen vast."),
            code="geen_vier_ogen",
        )
    if locked.beslissingsvoorstellen.filter(status=Voorstelstatus.OPEN).exists():
        raise ValidationError(
            _(
                "Er wacht al een beslissingsvoorstel op bevestiging. Laat het bevestigen of "
                "stuur het eerst terug."
            ),
            code="voorstel_open",
        )
    return Beslissingsvoorstel.objects.create(
        aanvraag=locked,
        uitkomst=uitkomst,
        bedragen=bedragen_json,
        motivatie=motivatie.strip(),
        door=by,
        op=now or timezone.now(),
    )


def voorstellen_laten_vervallen(
    aanvraag: Aanvraag, by: User, now: datetime.datetime, reden: str
) -> None:
    """Proposals still open on this aanvraag no longer apply (`reden` untranslated: it is kept
    in the portal's language, whoever acts)."""
    with translation.override(settings.LANGUAGE_CODE):
        tekst = _(reden)
    aanvraag.beslissingsvoorstellen.filter(status=Voorstelstatus.OPEN).update(
        status=Voorstelstatus.VERVALLEN, behandeld_door=by, behandeld_op=now, reden=tekst
    )


def bij_intrekken(aanvraag: Aanvraag, by: User, now: datetime.datetime) -> None:
    """Registered with the aanvragen app: a withdrawn aanvraag gets no decision."""
    voorstellen_laten_vervallen(aanvraag, by, now, gettext_noop("De aanvraag werd ingetrokken."))
    BeoordelingConcept.objects.filter(aanvraag=aanvraag).delete()


def _lock_open_voorstel(voorstel: Beslissingsvoorstel, by: User) -> Beslissingsvoorstel:
    ensure_reviewer(by, voorstel.aanvraag)
    lock_aanvraag(voorstel.aanvraag)
    locked = Beslissingsvoorstel.objects.select_for_update().get(pk=voorstel.pk)
    if locked.status != Voorstelstatus.OPEN:
        raise ValidationError(
            _("Dit voorstel is al %(status)s.") % {"status": locked.get_status_display()},
            code="voorstel_behandeld",
        )
    return locked


@atomic_with_files()
def voorstel_bevestigen(
    *, voorstel: Beslissingsvoorstel, by: User, now: datetime.datetime | None = None
) -> Beslissing:
    """The second reviewer confirms a proposed decision: it is recorded as proposed (checked
    again, the budget as it stands now), letter and e-mail included."""
    now = now or timezone.now()
    locked = _lock_open_voorstel(voorstel, by)
    if locked.door_id == by.pk:
        raise ValidationError(
            _(
                "U stelde deze beslissing zelf voor. Een tweede beoordelaar bevestigt ze "
                "(vier-ogenprincipe)."
            ),
            code="vier_ogen",
        )
    # Confirmed first, so that the decision does not count it among the proposals it ends; all
    # of it is undone if the decision is refused (the budget as it stands now, the status).
    locked.status = Voorstelstatus.BEVESTIGD
    locked.behandeld_door = by
    locked.behandeld_op = now
    locked.save(update_fields=["status", "behandeld_door", "behandeld_op"])
    try:
        return _beslis(
            aanvraag=locked.aanvraag,
            by=by,
            uitkomst=AanvraagStatus(locked.uitkomst),
            motivatie=locked.motivatie,
            bedragen=locked.bedragen_per_jaar or None,
            now=now,
            bevestigd=True,
        )
    except ValidationError as exc:
        # Said as one message: the confirmer has no amount fields to show it at.
        raise ValidationError(exc.messages, code="voorstel_geweigerd") from exc


@transaction.atomic
def voorstel_terugsturen(
    *,
    voorstel: Beslissingsvoorstel,
    by: User,
    reden: str,
    now: datetime.datetime | None = None,
) -> Beslissingsvoorstel:
    """A second reviewer sends a proposed decision back with a reason (the proposer may
    withdraw their own the same way); a new proposal can then be made."""
    if not reden.strip():
        raise ValidationError({"reden": _("Zeg waarom het voorstel teruggaat.")}, code="required")
    locked = _lock_open_voorstel(voorstel, by)
    locked.status = Voorstelstatus.TERUGGESTUURD
    locked.behandeld_door = by
    locked.behandeld_op = now or timezone.now()
    locked.reden = reden.strip()
    locked.save(update_fields=["status", "behandeld_door", "behandeld_op", "reden"])
    return locked


@transaction.atomic
def beslissing_controleren(
    *,
    aanvraag: Aanvraag,
    by: User,
    uitkomst: AanvraagStatus,
    motivatie: str,
    bedragen: dict[int, Decimal] | None = None,
) -> None:
    """Everything `aanvraag_decide` would refuse, refused now, recording nothing: the decision
    form shows the figures for confirmation only once they would be accepted."""
    _controleer_beslissing(aanvraag, by, uitkomst, motivatie, bedragen)


def _controleer_beslissing(
    aanvraag: Aanvraag,
    by: User,
    uitkomst: AanvraagStatus,
    motivatie: str,
    bedragen: dict[int, Decimal] | None,
) -> tuple[Aanvraag, dict[str, str]]:
    """The checks of a decision, under the aanvraag's and the call's locks; the locked aanvraag
    and the amounts as the decision keeps them."""
    ensure_reviewer(by, aanvraag)
    locked = lock_aanvraag(aanvraag)
    if uitkomst not in DECIDED_STATUSES:
        raise ValidationError(_("Kies goedgekeurd of afgewezen."), code="uitkomst")
    if locked.status == AanvraagStatus.INGETROKKEN:
        raise ValidationError(
            _("Deze aanvraag werd ingetrokken; er volgt geen beslissing."), code="withdrawn"
        )
    if locked.status != AanvraagStatus.IN_BEHANDELING:
        raise ValidationError(
            _("Alleen over een aanvraag in behandeling wordt beslist (nu: %(status)s).")
            % {"status": AanvraagStatus(locked.status).label.lower()},
            code="transition_not_allowed",
        )
    if not motivatie.strip():
        raise ValidationError({"motivatie": _("Motiveer de beslissing.")}, code="required")
    oproep = Oproep.objects.select_for_update().get(pk=locked.oproep_id)
    bedragen_json: dict[str, str] = {}
    if uitkomst == AanvraagStatus.GOEDGEKEURD:
        bedragen_json = _check_bedragen(oproep, bedragen or {})
        if not any(Decimal(b) > 0 for b in bedragen_json.values()):
            raise ValidationError(
                {"bedragen": _("Een goedkeuring kent een bedrag toe.")}, code="zero"
            )
        al_toegekend = toegekend_in_oproep(oproep, behalve=locked)
        for jaar in oproep.jaren:
            ruimte = oproep.jaarbudget - al_toegekend[jaar]
            if Decimal(bedragen_json[str(jaar)]) > ruimte:
                raise ValidationError(
                    {
                        f"bedrag_{jaar}": _(
                            "%(jaar)s: er blijft nog EUR %(ruimte)s van het budget van de oproep "
                            "over; dit bedrag past daar niet in."
                        )
                        % {
                            "jaar": jaar,
                            "ruimte": formats.number_format(ruimte, 2, force_grouping=True),
                        }
                    },
                    code="above_budget",
                )
    return locked, bedragen_json
