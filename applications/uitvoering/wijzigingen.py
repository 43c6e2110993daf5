"""Changes to the meerjarenplan during the uitvoering: the verband's regisseurs propose one
(actions added, changed or cancelled; besturen joining or leaving), save it as a draft and submit
it with a motivation; WSE approves or refuses it with a reason. The status changes are the table
`constants.WIJZIGING_OVERGANGEN`; every change writes a `Planwijzigingstap`.

An approval, in one transaction: the aanvraag's actions and the verband's memberships take the
change, and the plan as it now is, with the change itself, is sealed as the aanvraag's next
version (`submission.aanvraag_seal`: snapshot and SHA-256 at once, the PDF by the worker, as a
submission). Earlier versions never change. The granted amounts do not change by it: only a new
decision on the amounts (`services.bedragen_herzien`) changes them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from applications.aanvragen.models import Aanvraag, Actie, Indiening
from applications.aanvragen.momentopname import moment
from applications.aanvragen.services import lock_aanvraag
from applications.aanvragen.submission import aanvraag_seal
from applications.accounts.models import User
from applications.audit import services as audit
from applications.besturen.models import Lidmaatschap, LokaalBestuur
from applications.besturen.selectors import leden_op
from applications.besturen.services import (
    datum_tekst,
    lidmaatschap_afsluiten,
    lidmaatschap_vastleggen,
)
from applications.oproepen.models import Beleidsprioriteit
from applications.uitvoering import wijzigingsberichten
from applications.uitvoering.constants import (
    WIJZIGING_OPEN,
    WIJZIGING_OVERGANGEN,
    Actiewijzigingssoort,
    Ledenwijzigingssoort,
    Opvolgstatus,
    Wijzigingsstatus,
)
from applications.uitvoering.models import (
    Actierapport,
    Actiewijziging,
    Ledenwijziging,
    Opvolgmoment,
    Planwijziging,
    Planwijzigingstap,
)
from applications.uitvoering.permissions import (
    ensure_can_judge_planwijziging,
    ensure_can_propose_planwijziging,
)
from applications.uitvoering.selectors import is_toegekend
from applications.uitvoering.wijzigingsverschil import (
    Planverschil,
    als_gegevens,
    planverschil,
    samenvatting,
)

EEN_DAG = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Actiegegevens:
    """An action as the regisseur typed it in the proposal (the fields of an aanvraag's action)."""

    prioriteit: Beleidsprioriteit
    jaar: int
    titel: str
    beschrijving: str = ""
    doelgroep: str = ""
    verwacht_resultaat: str = ""
    indicator: str = ""
    partners: str = ""
    budget: Decimal = Decimal("0")


VELDEN = (
    "titel",
    "beschrijving",
    "doelgroep",
    "verwacht_resultaat",
    "indicator",
    "partners",
    "budget",
)


# --- The rules, each in one function --------------------------------------------------------


def periode_loopt(aanvraag: Aanvraag, vandaag: datetime.date) -> bool:
    """A change is proposed (and edited, submitted) during the call's period only: from 1
    January of its first year to 31 December of its last."""
    return aanvraag.oproep.eerste_jaar <= vandaag.year <= aanvraag.oproep.laatste_jaar


def eerste_wijzigbare_jaar(aanvraag: Aanvraag, vandaag: datetime.date) -> int:
    """Actions of the current year and later ones may change; a past year is over (its
    opvolgmoment reports on it)."""
    return max(vandaag.year, aanvraag.oproep.eerste_jaar)


def wijzigbare_jaren(aanvraag: Aanvraag, vandaag: datetime.date) -> list[int]:
    eerste = eerste_wijzigbare_jaar(aanvraag, vandaag)
    return [jaar for jaar in aanvraag.oproep.jaren if jaar >= eerste]


def open_planwijziging(aanvraag: Aanvraag) -> Planwijziging | None:
    """The aanvraag's proposal in concept or submitted, if any (at most one: a database rule)."""
    return aanvraag.planwijzigingen.filter(status__in=WIJZIGING_OPEN).first()


def laatste_versie(aanvraag: Aanvraag) -> Indiening | None:
    """The version a new proposal is compared against: the newest sealed one (the decided
    version, or the one the last approved change sealed)."""
    return aanvraag.indieningen.order_by("-nummer").first()


def _stap(
    wijziging: Planwijziging,
    naar: Wijzigingsstatus,
    *,
    by: User,
    rol: str,
    now: datetime.datetime,
    reden: str = "",
) -> None:
    if WIJZIGING_OVERGANGEN.get((wijziging.status, naar)) != rol:
        raise ValidationError(
            _("Dit voorstel is %(status)s: dat kan nu niet.")
            % {"status": Wijzigingsstatus(wijziging.status).label}
        )
    Planwijzigingstap.objects.create(
        planwijziging=wijziging, van=wijziging.status, naar=naar, door=by, op=now, reden=reden
    )
    audit.dossier(
        gebruiker=by,
        actie=f"planwijziging {naar}",
        onderwerp=wijziging.aanvraag,
        omschrijving=_("Wijziging %(nummer)s van het plan: %(van)s, nu %(naar)s.")
        % {
            "nummer": wijziging.nummer,
            "van": Wijzigingsstatus(wijziging.status).label,
            "naar": Wijzigingsstatus(naar).label,
        },
        gegevens={
            "wijziging": wijziging.nummer,
            "van": str(wijziging.status),
            "naar": str(naar),
            "reden": reden,
        },
        pad=reverse("planwijziging_detail", args=[wijziging.aanvraag_id, wijziging.nummer]),
    )
    wijziging.status = naar


def _lock(wijziging: Planwijziging) -> tuple[Aanvraag, Planwijziging]:
    """The aanvraag's row, then the proposal's, locked until the transaction ends: every write
    to a proposal of an aanvraag waits for the others."""
    aanvraag = lock_aanvraag(wijziging.aanvraag)
    locked = Planwijziging.objects.select_for_update().get(pk=wijziging.pk)
    locked.aanvraag = aanvraag
    return aanvraag, locked


def _bewerkbaar(
    wijziging: Planwijziging, *, by: User, now: datetime.datetime
) -> tuple[Aanvraag, Planwijziging]:
    """Who may change a proposal and when: the verband's regisseurs, while it is a draft and
    the period runs. Both rows come back locked."""
    ensure_can_propose_planwijziging(by, wijziging.aanvraag)
    aanvraag, wijziging = _lock(wijziging)
    if wijziging.status != Wijzigingsstatus.CONCEPT:
        raise ValidationError(
            _("Dit voorstel is %(status)s en kan niet meer gewijzigd worden.")
            % {"status": Wijzigingsstatus(wijziging.status).label}
        )
    if not periode_loopt(aanvraag, timezone.localdate(now)):
        raise ValidationError(
            _("De periode van de oproep (%(van)s-%(tot)s) loopt niet: het plan wijzigt niet meer.")
            % {"van": aanvraag.oproep.eerste_jaar, "tot": aanvraag.oproep.laatste_jaar}
        )
    return aanvraag, wijziging


def _check_jaar(aanvraag: Aanvraag, jaar: int, vandaag: datetime.date, veld: str = "jaar") -> None:
    if jaar not in aanvraag.oproep.jaren:
        raise ValidationError({veld: _("Kies een jaar binnen de periode van de oproep.")})
    eerste = eerste_wijzigbare_jaar(aanvraag, vandaag)
    if jaar < eerste:
        raise ValidationError(
            {
                veld: _(
                    "%(jaar)s is voorbij: alleen acties van %(eerste)s en later kunnen nog "
                    "wijzigen."
                )
                % {"jaar": jaar, "eerste": eerste}
            }
        )


def _actie_van_plan(aanvraag: Aanvraag, actie_nummer: int) -> Actie:
    actie = (
        Actie.objects.filter(aanvraag=aanvraag, pk=actie_nummer)
        .select_related("prioriteit")
        .first()
    )
    if actie is None:
        raise ValidationError(_("Deze actie staat niet (meer) in het meerjarenplan."))
    return actie


def _vul(onderdeel: Actiewijziging, gegevens: Actiegegevens) -> None:
    onderdeel.prioriteit = gegevens.prioriteit
    onderdeel.jaar = gegevens.jaar
    for veld in VELDEN:
        setattr(onderdeel, veld, getattr(gegevens, veld))


def _gelijk(actie: Actie, gegevens: Actiegegevens) -> bool:
    return (
        actie.prioriteit_id == gegevens.prioriteit.pk
        and actie.jaar == gegevens.jaar
        and all(getattr(actie, v) == getattr(gegevens, v) for v in VELDEN)
    )


# --- The regisseurs' side ---------------------------------------------------------------------


@transaction.atomic
def planwijziging_starten(
    *, aanvraag: Aanvraag, by: User, now: datetime.datetime | None = None
) -> Planwijziging:
    """Start a proposal as a draft. Refused: anyone but the verband's regisseurs, an aanvraag
    that was not granted, outside the call's period, and while another proposal is open (one
    at a time: the regisseurs finish, withdraw it or WSE decides first)."""
    now = now or timezone.now()
    ensure_can_propose_planwijziging(by, aanvraag)
    aanvraag = lock_aanvraag(aanvraag)
    if not is_toegekend(aanvraag):
        raise ValidationError(_("Alleen het plan van een goedgekeurde aanvraag kan wijzigen."))
    if not periode_loopt(aanvraag, timezone.localdate(now)):
        raise ValidationError(
            _(
                "Een wijziging van het plan kan alleen tijdens de periode van de oproep "
                "(%(van)s-%(tot)s)."
            )
            % {"van": aanvraag.oproep.eerste_jaar, "tot": aanvraag.oproep.laatste_jaar}
        )
    bestaand = open_planwijziging(aanvraag)
    if bestaand is not None:
        raise ValidationError(
            _(
                "Er loopt al een voorstel tot wijziging (nr. %(nummer)s, %(status)s). Werk dat "
                "af of trek het in; er kan er maar één tegelijk lopen."
            )
            % {"nummer": bestaand.nummer, "status": bestaand.get_status_display()},
            code="al_open",
        )
    basis = laatste_versie(aanvraag)
    if basis is None:
        raise ValidationError(
            _("Deze aanvraag heeft geen verzegelde versie om mee te vergelijken.")
        )
    nummer = (aanvraag.planwijzigingen.aggregate(n=Max("nummer"))["n"] or 0) + 1
    return Planwijziging.objects.create(
        aanvraag=aanvraag,
        nummer=nummer,
        basis=basis,
        aangemaakt_door=by,
        aangemaakt_op=now,
        gewijzigd_op=now,
    )


@transaction.atomic
def actie_voorstellen(
    *,
    wijziging: Planwijziging,
    by: User,
    gegevens: Actiegegevens,
    actie_nummer: int | None = None,
    onderdeel: Actiewijziging | None = None,
    now: datetime.datetime | None = None,
) -> Actiewijziging:
    """Put an action in the proposal: a new one (neither `actie_nummer` nor `onderdeel`), new
    values for an action of the plan (`actie_nummer`), or changed values of what the proposal
    already holds (`onderdeel`). Refused: a priority of another call, a year outside the
    period or already past, an action of a past year, values equal to the action's now."""
    now = now or timezone.now()
    aanvraag, wijziging = _bewerkbaar(wijziging, by=by, now=now)
    vandaag = timezone.localdate(now)
    if gegevens.prioriteit.oproep_id != aanvraag.oproep_id:
        raise ValidationError({"prioriteit": _("Kies een beleidsprioriteit van deze oproep.")})
    _check_jaar(aanvraag, gegevens.jaar, vandaag)
    if onderdeel is not None:
        onderdeel = Actiewijziging.objects.get(pk=onderdeel.pk, planwijziging=wijziging)
        # A changed or cancelled action of the plan stays that action; a new one stays new.
        actie_nummer = onderdeel.actie_nummer
    if actie_nummer is not None:
        actie = _actie_van_plan(aanvraag, actie_nummer)
        _check_jaar(aanvraag, actie.jaar, vandaag)
        if _gelijk(actie, gegevens):
            raise ValidationError(
                _("Er is niets gewijzigd aan deze actie. Pas minstens één veld aan.")
            )
        onderdeel = (
            wijziging.acties.filter(actie_nummer=actie.pk).first()
            or onderdeel
            or Actiewijziging(planwijziging=wijziging, actie_nummer=actie.pk)
        )
        onderdeel.soort = Actiewijzigingssoort.GEWIJZIGD
    elif onderdeel is None:
        onderdeel = Actiewijziging(planwijziging=wijziging, soort=Actiewijzigingssoort.NIEUW)
    _vul(onderdeel, gegevens)
    onderdeel.full_clean()
    onderdeel.save()
    Planwijziging.objects.filter(pk=wijziging.pk).update(gewijzigd_op=now)
    return onderdeel


@transaction.atomic
def actie_schrappen(
    *,
    wijziging: Planwijziging,
    by: User,
    actie_nummer: int,
    now: datetime.datetime | None = None,
) -> Actiewijziging:
    """Propose to cancel an action of the plan (of this year or later). Whatever the proposal
    held for it (new values) gives way to the cancellation."""
    now = now or timezone.now()
    aanvraag, wijziging = _bewerkbaar(wijziging, by=by, now=now)
    actie = _actie_van_plan(aanvraag, actie_nummer)
    _check_jaar(aanvraag, actie.jaar, timezone.localdate(now))
    onderdeel = wijziging.acties.filter(actie_nummer=actie.pk).first() or Actiewijziging(
        planwijziging=wijziging, actie_nummer=actie.pk
    )
    onderdeel.soort = Actiewijzigingssoort.GESCHRAPT
    onderdeel.prioriteit = actie.prioriteit
    onderdeel.jaar = actie.jaar
    for veld in VELDEN:
        setattr(onderdeel, veld, getattr(actie, veld))
    onderdeel.full_clean()
    onderdeel.save()
    Planwijziging.objects.filter(pk=wijziging.pk).update(gewijzigd_op=now)
    return onderdeel


@transaction.atomic
def lid_voorstellen(
    *,
    wijziging: Planwijziging,
    by: User,
    soort: Ledenwijzigingssoort,
    bestuur: LokaalBestuur,
    datum: datetime.date,
    now: datetime.datetime | None = None,
) -> Ledenwijziging:
    """Put a bestuur joining (from `datum`) or a member leaving (no longer a member from
    `datum`) in the proposal. Refused: a date outside the period, a bestuur that does not exist
    then, joining while already a member, leaving while not a member (or as the trekker: a
    beheerder changes the trekker first), a bestuur twice in one proposal."""
    now = now or timezone.now()
    aanvraag, wijziging = _bewerkbaar(wijziging, by=by, now=now)
    oproep = aanvraag.oproep
    if not (
        datetime.date(oproep.eerste_jaar, 1, 1)
        <= datum
        <= datetime.date(oproep.laatste_jaar, 12, 31)
    ):
        raise ValidationError({"datum": _("Kies een datum binnen de periode van de oproep.")})
    if wijziging.leden.filter(bestuur=bestuur).exists():
        raise ValidationError({"bestuur": _("Dit bestuur staat al in het voorstel.")})
    verband = aanvraag.regieverband
    if soort == Ledenwijzigingssoort.TOETREDING:
        if not bestuur.is_geldig_op(datum):
            raise ValidationError(
                {
                    "bestuur": _("%(bestuur)s bestaat niet op %(dag)s.")
                    % {"bestuur": bestuur, "dag": datum_tekst(datum)}
                }
            )
        al_lid = Lidmaatschap.objects.filter(regieverband=verband, bestuur=bestuur).filter(
            Q(tot__isnull=True) | Q(tot__gte=datum)
        )
        if al_lid.exists():
            raise ValidationError(
                {
                    "bestuur": _("%(bestuur)s is op %(dag)s al lid van het regieverband.")
                    % {"bestuur": bestuur, "dag": datum_tekst(datum)}
                }
            )
    else:
        lid = _lopend_lidmaatschap(verband.pk, bestuur, datum)
        if lid is None:
            raise ValidationError(
                {
                    "bestuur": _("%(bestuur)s is op %(dag)s geen lid van het regieverband.")
                    % {"bestuur": bestuur, "dag": datum_tekst(datum - EEN_DAG)}
                }
            )
        if verband.trekker_id == bestuur.pk:
            raise ValidationError(
                {
                    "bestuur": _(
                        "%(bestuur)s is de trekker van het regieverband. Laat eerst een andere "
                        "trekker registreren (WSE, beheer)."
                    )
                    % {"bestuur": bestuur}
                }
            )
    onderdeel = Ledenwijziging(planwijziging=wijziging, soort=soort, bestuur=bestuur, datum=datum)
    onderdeel.full_clean()
    onderdeel.save()
    Planwijziging.objects.filter(pk=wijziging.pk).update(gewijzigd_op=now)
    return onderdeel


def _lopend_lidmaatschap(
    verband_id: int, bestuur: LokaalBestuur, datum: datetime.date
) -> Lidmaatschap | None:
    """The membership that leaving from `datum` ends: running the day before, without an end."""
    return (
        Lidmaatschap.objects.filter(regieverband_id=verband_id, bestuur=bestuur, tot__isnull=True)
        .filter(van__lt=datum)
        .first()
    )


@transaction.atomic
def onderdeel_verwijderen(
    *,
    wijziging: Planwijziging,
    by: User,
    onderdeel: Actiewijziging | Ledenwijziging,
    now: datetime.datetime | None = None,
) -> None:
    """Take an action or a member out of the draft proposal again."""
    now = now or timezone.now()
    _aanvraag, wijziging = _bewerkbaar(wijziging, by=by, now=now)
    type(onderdeel).objects.filter(pk=onderdeel.pk, planwijziging=wijziging).delete()
    Planwijziging.objects.filter(pk=wijziging.pk).update(gewijzigd_op=now)


@transaction.atomic
def planwijziging_bewaren(
    *,
    wijziging: Planwijziging,
    by: User,
    motivatie: str,
    indienen: bool,
    now: datetime.datetime | None = None,
) -> Planwijziging:
    """Save the draft's motivation; with `indienen`, submit the proposal to WSE (the
    reviewers are told). Submitting is refused without a motivation, without anything to
    change, and when the plan would keep fewer actions for a priority in a year than the call
    asks (`Oproep.min_acties_per_prioriteit_per_jaar`)."""
    now = now or timezone.now()
    aanvraag, wijziging = _bewerkbaar(wijziging, by=by, now=now)
    wijziging.motivatie = motivatie
    wijziging.gewijzigd_op = now
    if indienen:
        fouten = _ontbreekt_voor_indienen(aanvraag, wijziging, motivatie)
        if fouten:
            raise ValidationError(fouten)
        _stap(wijziging, Wijzigingsstatus.INGEDIEND, by=by, rol="regisseur", now=now)
        wijziging.ingediend_door = by
        wijziging.ingediend_op = now
    wijziging.full_clean()
    wijziging.save()
    if indienen:
        wijzigingsberichten.ingediend(wijziging)
    return wijziging


def _ontbreekt_voor_indienen(
    aanvraag: Aanvraag, wijziging: Planwijziging, motivatie: str
) -> list[str]:
    fouten: list[str] = []
    if not motivatie.strip():
        fouten.append(_("Motiveer waarom het plan wijzigt."))
    onderdelen = list(wijziging.acties.select_related("prioriteit"))
    if not onderdelen and not wijziging.leden.exists():
        fouten.append(_("Het voorstel wijzigt nog niets: voeg een actie of een lid toe."))
    fouten += _te_weinig_acties(aanvraag, onderdelen)
    return fouten


def _te_weinig_acties(aanvraag: Aanvraag, onderdelen: list[Actiewijziging]) -> list[str]:
    """The cells (priority, year) the proposal takes actions out of that would keep fewer than
    the call's minimum: the same rule as a complete aanvraag."""
    minimum = aanvraag.oproep.min_acties_per_prioriteit_per_jaar
    plan = {
        a.pk: (a.prioriteit_id, a.jaar)
        for a in Actie.objects.filter(aanvraag=aanvraag).only("pk", "prioriteit_id", "jaar")
    }
    na = dict(plan)
    for o in onderdelen:
        if o.soort == Actiewijzigingssoort.GESCHRAPT and o.actie_nummer is not None:
            na.pop(o.actie_nummer, None)
        elif o.soort == Actiewijzigingssoort.GEWIJZIGD and o.actie_nummer is not None:
            na[o.actie_nummer] = (o.prioriteit_id, o.jaar)
    nieuw = [(o.prioriteit_id, o.jaar) for o in onderdelen if o.soort == Actiewijzigingssoort.NIEUW]
    cellen = list(na.values()) + nieuw
    geraakt = {plan[n] for n in plan if na.get(n) != plan[n]}
    prioriteiten = {p.pk: p for p in aanvraag.oproep.prioriteiten.all()}
    fouten = []
    for prioriteit_id, jaar in sorted(geraakt, key=lambda c: (c[1], c[0])):
        if cellen.count((prioriteit_id, jaar)) < minimum:
            fouten.append(
                ngettext(
                    "%(code)s in %(jaar)s houdt zo geen actie over; de oproep vraagt er "
                    "minstens %(n)s per beleidsprioriteit per jaar.",
                    "%(code)s in %(jaar)s houdt zo minder dan %(n)s acties over; de oproep "
                    "vraagt er minstens %(n)s per beleidsprioriteit per jaar.",
                    minimum,
                )
                % {"code": prioriteiten[prioriteit_id].code, "jaar": jaar, "n": minimum}
            )
    return fouten


@transaction.atomic
def planwijziging_intrekken(
    *, wijziging: Planwijziging, by: User, now: datetime.datetime | None = None
) -> Planwijziging:
    """The regisseurs withdraw their proposal, a draft or one WSE has not decided yet; then
    they can start another."""
    now = now or timezone.now()
    ensure_can_propose_planwijziging(by, wijziging.aanvraag)
    _aanvraag, wijziging = _lock(wijziging)
    _stap(wijziging, Wijzigingsstatus.INGETROKKEN, by=by, rol="regisseur", now=now)
    wijziging.gewijzigd_op = now
    wijziging.save()
    return wijziging


# --- WSE's side -------------------------------------------------------------------------------


@transaction.atomic
def planwijziging_beoordelen(
    *,
    wijziging: Planwijziging,
    by: User,
    goedkeuren: bool,
    reden: str = "",
    now: datetime.datetime | None = None,
) -> Planwijziging:
    """WSE approves the submitted proposal, or refuses it with the reason (required).

    Approved, in this transaction: the change is applied (`_toepassen`), and the plan as it now
    is, with the change, is sealed as the aanvraag's next version; the regisseurs are told
    either way. Refused when applying is no longer possible (an action changed since, a year
    whose opvolgmoment was submitted meanwhile, a membership rule): nothing is changed then."""
    now = now or timezone.now()
    ensure_can_judge_planwijziging(by, wijziging.aanvraag)
    aanvraag, wijziging = _lock(wijziging)
    if not goedkeuren and not reden.strip():
        raise ValidationError({"reden": _("Schrijf waarom WSE de wijziging weigert.")})
    naar = Wijzigingsstatus.GOEDGEKEURD if goedkeuren else Wijzigingsstatus.GEWEIGERD
    _stap(wijziging, naar, by=by, rol="beoordelaar", now=now, reden="" if goedkeuren else reden)
    wijziging.beoordeeld_door = by
    wijziging.beoordeeld_op = now
    wijziging.reden = "" if goedkeuren else reden
    wijziging.gewijzigd_op = now
    if goedkeuren:
        # The diff against the basis, read before the actions change (it reads the basis's
        # snapshot and the proposal's rows only, so it is the same after).
        verschil = planverschil(wijziging)
        _toepassen(aanvraag, wijziging, by=by, vandaag=timezone.localdate(now))
        wijziging.versie = aanvraag_seal(
            aanvraag=aanvraag,
            by=wijziging.ingediend_door,
            now=now,
            wijziging=_verzegelde_gegevens(aanvraag, wijziging, verschil, by=by, now=now),
        )
    wijziging.full_clean()
    wijziging.save()
    wijzigingsberichten.beoordeeld(wijziging)
    return wijziging


def _toepassen(
    aanvraag: Aanvraag, wijziging: Planwijziging, *, by: User, vandaag: datetime.date
) -> None:
    """The aanvraag's actions and the verband's memberships take the approved change."""
    onderdelen = list(wijziging.acties.select_related("prioriteit"))
    jaren = {o.jaar for o in onderdelen}
    for o in onderdelen:
        if o.actie_nummer is not None:
            jaren.add(_actie_van_plan(aanvraag, o.actie_nummer).jaar)
    al_gerapporteerd = sorted(
        Opvolgmoment.objects.filter(aanvraag=aanvraag, jaar__in=jaren)
        .exclude(status=Opvolgstatus.IN_OPMAAK)
        .values_list("jaar", flat=True)
    )
    if al_gerapporteerd:
        raise ValidationError(
            _(
                "Het opvolgmoment van %(jaren)s is al ingediend: de acties van dat jaar "
                "wijzigen niet meer. Weiger het voorstel met die reden."
            )
            % {"jaren": ", ".join(str(j) for j in al_gerapporteerd)}
        )
    volgende = (Actie.objects.filter(aanvraag=aanvraag).aggregate(n=Max("volgorde"))["n"] or 0) + 1
    for o in onderdelen:
        if o.soort == Actiewijzigingssoort.NIEUW:
            actie = Actie(aanvraag=aanvraag, volgorde=volgende)
            volgende += 1
        else:
            actie = _actie_van_plan(aanvraag, o.actie_nummer or 0)
        if o.soort == Actiewijzigingssoort.GESCHRAPT:
            # A report of a year still in opmaak that named it goes with it.
            Actierapport.objects.filter(actie=actie).delete()
            actie.delete()
            continue
        actie.prioriteit = o.prioriteit
        actie.jaar = o.jaar
        for veld in VELDEN:
            setattr(actie, veld, getattr(o, veld))
        if o.soort == Actiewijzigingssoort.GEWIJZIGD:
            actie.versie += 1
        actie.full_clean()
        actie.save()
        if o.soort == Actiewijzigingssoort.NIEUW:
            o.actie_nummer = actie.pk
            o.save(update_fields=["actie_nummer"])
    for lid in wijziging.leden.select_related("bestuur"):
        if lid.soort == Ledenwijzigingssoort.TOETREDING:
            lid.lidmaatschap = lidmaatschap_vastleggen(
                regieverband=aanvraag.regieverband,
                bestuur=lid.bestuur,
                van=lid.datum,
                door_id=by.pk,
            )
        else:
            lopend = _lopend_lidmaatschap(aanvraag.regieverband_id, lid.bestuur, lid.datum)
            if lopend is None:
                raise ValidationError(
                    _("%(bestuur)s is geen lid meer van het regieverband.")
                    % {"bestuur": lid.bestuur}
                )
            lid.lidmaatschap = lidmaatschap_afsluiten(
                lidmaatschap=lopend, tot=lid.datum - EEN_DAG, door_id=by.pk
            )
        lid.save(update_fields=["lidmaatschap"])
    # The content changed: a save based on what an editor saw before is refused.
    Aanvraag.objects.filter(pk=aanvraag.pk).update(versie=aanvraag.versie + 1)


def _persoon(user: User | None) -> dict[str, str] | None:
    return {"naam": user.get_full_name() or user.email, "email": user.email} if user else None


def _verzegelde_gegevens(
    aanvraag: Aanvraag,
    wijziging: Planwijziging,
    verschil: Planverschil,
    *,
    by: User,
    now: datetime.datetime,
) -> dict[str, object]:
    """What the sealed version says of the change (plain data, canonical; always Dutch, as the
    PDF printed from it): who proposed and approved it when, the motivation, the diff against
    its basis, and the members from the last date it changes (or the approval's day) on."""
    datums = [lid.datum for lid in verschil.leden] + [timezone.localdate(now)]
    peil = max(datums)
    with override("nl-be"):
        gegevens = als_gegevens(verschil)
        kort = samenvatting(verschil)
    return {
        "nummer": wijziging.nummer,
        "motivatie": wijziging.motivatie,
        "basis_versie": wijziging.basis.nummer,
        "basis_inhoud_sha256": wijziging.basis.inhoud_sha256,
        "voorgesteld_door": _persoon(wijziging.ingediend_door),
        "ingediend_op": moment(wijziging.ingediend_op or now),
        "goedgekeurd_door": _persoon(by),
        "goedgekeurd_op": moment(now),
        **gegevens,
        "leden_na": {
            "datum": peil.isoformat(),
            "leden": [
                {"naam": b.naam, "nis_code": b.nis_code}
                for b in leden_op(aanvraag.regieverband, peil)
            ],
        },
        "samenvatting": kort,
    }
