"""The writes of the uitvoering: booking a row in the ledger, and a later decision on the granted
amounts that turns what was paid too much into amounts to recover.

Every write locks the aanvraag's row first, so two bookings at once cannot both take the last
euro of a year.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.aanvragen.models import Aanvraag
from applications.accounts.models import User
from applications.audit import services as audit
from applications.core.forms import format_euro
from applications.uitvoering.constants import NEGATIEF, Boekingssoort
from applications.uitvoering.models import Betalingsschijf, Boeking, Herbeslissing, Terugvordering
from applications.uitvoering.permissions import (
    ensure_can_book,
    ensure_can_decide_amounts,
    ensure_niet_afgesloten,
)
from applications.uitvoering.selectors import (
    NUL,
    betaald_per_jaar,
    is_toegekend,
    oproep_betalingen,
    toegekend_per_jaar,
)


def _lock(aanvraag: Aanvraag) -> Aanvraag:
    return Aanvraag.objects.select_for_update().select_related("oproep").get(pk=aanvraag.pk)


@transaction.atomic
def boeking_maken(
    *,
    aanvraag: Aanvraag,
    by: User,
    soort: Boekingssoort,
    jaar: int,
    datum: datetime.date,
    bedrag: Decimal,
    referentie: str,
    toelichting: str = "",
    schijf: Betalingsschijf | None = None,
    now: datetime.datetime | None = None,
) -> Boeking:
    """Book one row. `bedrag` is what was typed, always positive; the kind gives the sign.

    Refused: a closed dossier (`is_afgesloten`), an aanvraag that is not granted, a year outside
    the grant, a date in the future, a payment that takes the year or the whole grant over what
    is granted now, a correction that takes back more than the year holds, a repayment larger
    than what is to be recovered.
    """
    ensure_can_book(by, aanvraag)
    aanvraag = _lock(aanvraag)
    ensure_niet_afgesloten(aanvraag)
    now = now or timezone.now()
    if not is_toegekend(aanvraag):
        raise ValidationError(_("Alleen voor een goedgekeurde aanvraag worden betalingen geboekt."))
    if bedrag <= 0:
        raise ValidationError({"bedrag": _("Geef een bedrag groter dan nul.")})
    if datum > timezone.localdate(now):
        raise ValidationError({"datum": _("Een boeking kan niet in de toekomst liggen.")})
    if schijf is not None and schijf.oproep_id != aanvraag.oproep_id:
        raise ValidationError({"schijf": _("Deze betalingsschijf hoort niet bij deze oproep.")})
    toegekend = toegekend_per_jaar(aanvraag)
    if jaar not in toegekend:
        raise ValidationError({"jaar": _("Voor %(jaar)s is niets toegekend.") % {"jaar": jaar}})
    betaald = betaald_per_jaar(aanvraag)
    jaar_betaald = betaald.get(jaar, NUL)
    if soort == Boekingssoort.BETALING:
        if jaar_betaald + bedrag > toegekend[jaar]:
            raise ValidationError(
                {
                    "bedrag": _(
                        "Deze betaling brengt %(jaar)s op EUR %(na)s, meer dan de EUR "
                        "%(toegekend)s die toegekend is. Er kan nog EUR %(rest)s betaald worden."
                    )
                    % {
                        "jaar": jaar,
                        "na": format_euro(jaar_betaald + bedrag),
                        "toegekend": format_euro(toegekend[jaar]),
                        "rest": format_euro(max(toegekend[jaar] - jaar_betaald, NUL)),
                    }
                }
            )
        totaal_betaald = sum(betaald.values(), NUL)
        totaal_toegekend = sum(toegekend.values(), NUL)
        if totaal_betaald + bedrag > totaal_toegekend:
            raise ValidationError(
                {
                    "bedrag": _(
                        "Deze betaling brengt het totaal op EUR %(na)s, meer dan de EUR "
                        "%(toegekend)s die in totaal toegekend is (een ander jaar is te veel "
                        "betaald)."
                    )
                    % {
                        "na": format_euro(totaal_betaald + bedrag),
                        "toegekend": format_euro(totaal_toegekend),
                    }
                }
            )
    elif soort == Boekingssoort.CORRECTIE:
        if bedrag > jaar_betaald:
            raise ValidationError(
                {
                    "bedrag": _(
                        "Een correctie neemt hoogstens terug wat voor %(jaar)s betaald is: EUR "
                        "%(betaald)s."
                    )
                    % {"jaar": jaar, "betaald": format_euro(jaar_betaald)}
                }
            )
    else:
        terug = max(jaar_betaald - toegekend[jaar], NUL)
        if bedrag > terug:
            raise ValidationError(
                {
                    "bedrag": _(
                        "Voor %(jaar)s is EUR %(terug)s terug te vorderen; een terugbetaling "
                        "kan niet meer zijn."
                    )
                    % {"jaar": jaar, "terug": format_euro(terug)}
                }
            )
    boeking = Boeking(
        aanvraag=aanvraag,
        jaar=jaar,
        soort=soort,
        datum=datum,
        bedrag=-bedrag if soort in NEGATIEF else bedrag,
        referentie=referentie,
        toelichting=toelichting,
        schijf=schijf,
        geboekt_door=by,
        geboekt_op=now,
    )
    boeking.full_clean()
    boeking.save()
    audit.dossier(
        gebruiker=by,
        actie="boeking",
        onderwerp=aanvraag,
        omschrijving=_("%(soort)s van EUR %(bedrag)s voor %(jaar)s geboekt (%(referentie)s).")
        % {
            "soort": Boekingssoort(soort).label,
            "bedrag": format_euro(boeking.bedrag),
            "jaar": jaar,
            "referentie": referentie,
        },
        gegevens={
            "boeking": boeking.pk,
            "soort": str(soort),
            "jaar": jaar,
            "datum": datum.isoformat(),
            "bedrag": f"{boeking.bedrag:.2f}",
            "referentie": referentie,
        },
        pad=reverse("uitvoering_boeking", args=[aanvraag.pk]),
    )
    return boeking


@transaction.atomic
def bedragen_herzien(
    *,
    aanvraag: Aanvraag,
    by: User,
    bedragen: dict[int, Decimal],
    motivatie: str,
    now: datetime.datetime | None = None,
) -> Herbeslissing:
    """A later decision on the granted amounts per year (every year of the call). Where a year
    now holds less than was paid, the difference (beyond what was already to recover) becomes a
    terugvordering to settle in the ledger. Raising a year is bounded by what is left of the
    call's yearly budget. Refused for a closed dossier."""
    ensure_can_decide_amounts(by, aanvraag)
    aanvraag = _lock(aanvraag)
    ensure_niet_afgesloten(aanvraag)
    now = now or timezone.now()
    if not is_toegekend(aanvraag):
        raise ValidationError(_("Alleen de bedragen van een goedgekeurde aanvraag worden herzien."))
    jaren = aanvraag.oproep.jaren
    if sorted(bedragen) != jaren or any(b < 0 for b in bedragen.values()):
        raise ValidationError(_("Geef voor elk jaar van de oproep een bedrag (nul of meer)."))
    oud = toegekend_per_jaar(aanvraag)
    # Only what is raised can overrun the call's budget: checked against the other grants.
    totalen = {j.jaar: j.toegekend for j in oproep_betalingen(aanvraag.oproep).jaren}
    for jaar in jaren:
        extra = bedragen[jaar] - oud.get(jaar, NUL)
        if extra > 0 and totalen.get(jaar, NUL) + extra > aanvraag.oproep.jaarbudget:
            raise ValidationError(
                _(
                    "Voor %(jaar)s blijft van het jaarbudget van de oproep nog EUR %(rest)s over; "
                    "meer toekennen kan niet."
                )
                % {
                    "jaar": jaar,
                    "rest": format_euro(
                        max(aanvraag.oproep.jaarbudget - totalen.get(jaar, NUL), NUL)
                    ),
                }
            )
    herbeslissing = Herbeslissing(
        aanvraag=aanvraag,
        bedragen={str(j): f"{bedragen[j]:.2f}" for j in jaren},
        motivatie=motivatie,
        door=by,
        op=now,
    )
    herbeslissing.full_clean()
    herbeslissing.save()
    betaald = betaald_per_jaar(aanvraag)
    for jaar in jaren:
        # What is newly to recover: beyond what the old amounts already left to recover.
        jaar_betaald = betaald.get(jaar, NUL)
        al_terug = max(jaar_betaald - oud.get(jaar, NUL), NUL)
        te_veel = jaar_betaald - bedragen[jaar] - al_terug
        if te_veel > 0:
            Terugvordering.objects.create(
                aanvraag=aanvraag,
                jaar=jaar,
                bedrag=te_veel,
                reden=_(
                    "De nieuwe beslissing kent voor %(jaar)s EUR %(nieuw)s toe; er werd al EUR "
                    "%(betaald)s betaald."
                )
                % {
                    "jaar": jaar,
                    "nieuw": format_euro(bedragen[jaar]),
                    "betaald": format_euro(betaald.get(jaar, NUL)),
                },
                herbeslissing=herbeslissing,
                op=now,
            )
    audit.dossier(
        gebruiker=by,
        actie="bedragen herzien",
        onderwerp=aanvraag,
        omschrijving=_("Nieuwe beslissing over de bedragen van %(referentie)s.")
        % {"referentie": aanvraag.referentie},
        gegevens={"herbeslissing": herbeslissing.pk, "bedragen": herbeslissing.bedragen},
        pad=reverse("uitvoering_herbeslissing", args=[aanvraag.pk]),
    )
    return herbeslissing
