"""Closing the dossier of a granted aanvraag: when it may be closed (`wat_ontbreekt`), the one
action that closes it (`dossier_afsluiten`), and a beheerder reopening it with a reason
(`dossier_heropenen`). A closed dossier is read-only: the rule is `permissions.is_afgesloten`,
which every write of the uitvoering asks."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.aanvragen.models import Aanvraag
from applications.accounts.models import User
from applications.audit import services as audit
from applications.core.forms import format_euro
from applications.uitvoering.constants import Opvolgstatus
from applications.uitvoering.models import Afsluiting
from applications.uitvoering.permissions import (
    can_close_dossier,
    can_reopen_dossier,
    geldende_afsluiting,
    is_afgesloten,
)
from applications.uitvoering.selectors import grootboek, is_toegekend, opvolgstanden


def wat_ontbreekt(aanvraag: Aanvraag, *, vandaag: datetime.date | None = None) -> list[str]:
    """Why the dossier cannot be closed yet, one sentence per missing item (empty: it can).

    The rule: a granted aanvraag whose call period is over; every opvolgmoment the call sets
    (one per year with a due date) accepted; and the ledger settled, year by year: what was
    paid is what is granted now (the decision, or the newest later decision), so nothing is
    left to pay and nothing to recover."""
    vandaag = vandaag or timezone.localdate()
    if is_afgesloten(aanvraag):
        return [_("Het dossier is al afgesloten.")]
    if not is_toegekend(aanvraag):
        return [_("Alleen het dossier van een goedgekeurde aanvraag wordt afgesloten.")]
    redenen = []
    laatste_jaar = aanvraag.oproep.laatste_jaar
    if vandaag.year <= laatste_jaar:
        redenen.append(
            _("De periode van de oproep loopt nog tot en met 31 december %(jaar)s.")
            % {"jaar": laatste_jaar}
        )
    for stand in opvolgstanden(aanvraag, vandaag=vandaag):
        if stand.moment is None or stand.moment.status != Opvolgstatus.AANVAARD:
            redenen.append(
                _("Het opvolgmoment van %(jaar)s is nog niet aanvaard (nu: %(status)s).")
                % {"jaar": stand.jaar, "status": stand.status_label}
            )
    boek = grootboek(aanvraag, vandaag=vandaag)
    for jaar in boek.jaren:
        if jaar.openstaand:
            redenen.append(
                _("Voor %(jaar)s is nog EUR %(bedrag)s te betalen.")
                % {"jaar": jaar.jaar, "bedrag": format_euro(jaar.openstaand)}
            )
        if jaar.terug_te_vorderen:
            redenen.append(
                _("Voor %(jaar)s is nog EUR %(bedrag)s terug te vorderen.")
                % {"jaar": jaar.jaar, "bedrag": format_euro(jaar.terug_te_vorderen)}
            )
    return redenen


@transaction.atomic
def dossier_afsluiten(
    *, aanvraag: Aanvraag, by: User, now: datetime.datetime | None = None
) -> Afsluiting:
    """Close the dossier: refused (with every missing item, `wat_ontbreekt`) until it may be,
    and to anyone but a reviewer who may judge the aanvraag or a beheerder (never for their
    own verband). The aanvraag's row is locked first, as every booking locks it, so no payment
    slips in between the check and the closing. Written to the audit log."""
    if not can_close_dossier(by, aanvraag):
        raise PermissionDenied(
            _(
                "Alleen WSE-beoordelaars en beheerders sluiten een dossier af, en niet voor hun "
                "eigen regieverband."
            )
        )
    now = now or timezone.now()
    aanvraag = Aanvraag.objects.select_for_update().select_related("oproep").get(pk=aanvraag.pk)
    redenen = wat_ontbreekt(aanvraag, vandaag=timezone.localdate(now))
    if redenen:
        raise ValidationError(redenen)
    afsluiting = Afsluiting.objects.create(aanvraag=aanvraag, afgesloten_op=now, afgesloten_door=by)
    boek = grootboek(aanvraag, vandaag=timezone.localdate(now))
    audit.dossier(
        gebruiker=by,
        actie="dossier afgesloten",
        onderwerp=aanvraag,
        omschrijving=_("Dossier %(referentie)s afgesloten.") % {"referentie": aanvraag.referentie},
        gegevens={
            "afsluiting": afsluiting.pk,
            "toegekend": str(boek.toegekend),
            "betaald": str(boek.betaald),
        },
        pad=reverse("uitvoering_afsluiten", args=[aanvraag.pk]),
    )
    return afsluiting


@transaction.atomic
def dossier_heropenen(
    *, aanvraag: Aanvraag, by: User, reden: str, now: datetime.datetime | None = None
) -> Afsluiting:
    """A beheerder reopens a closed dossier, with a reason (a booking forgotten, a decision
    to correct). The closing stays as a row with who reopened it, when and why; closing again
    is a new closing, from which the retention periods run anew. Refused once the retention
    command anonymised the dossier or deleted its sealed PDFs: what is gone cannot come back."""
    if not can_reopen_dossier(by, aanvraag):
        raise PermissionDenied(
            _("Alleen een beheerder heropent een dossier, en niet voor het eigen regieverband.")
        )
    if not reden.strip():
        raise ValidationError({"reden": _("Schrijf waarom het dossier heropend wordt.")})
    now = now or timezone.now()
    Aanvraag.objects.select_for_update().get(pk=aanvraag.pk)
    afsluiting = geldende_afsluiting(aanvraag)
    if afsluiting is None:
        raise ValidationError(_("Dit dossier is niet afgesloten."))
    if afsluiting.geanonimiseerd_op or afsluiting.pdfs_verwijderd_op:
        raise ValidationError(
            _(
                "Dit dossier is na zijn bewaartermijn al geanonimiseerd of zijn verzegelde PDF's "
                "zijn verwijderd: het kan niet meer heropend worden."
            )
        )
    afsluiting.heropend_op = now
    afsluiting.heropend_door = by
    afsluiting.heropen_reden = reden.strip()
    afsluiting.full_clean()
    afsluiting.save(update_fields=["heropend_op", "heropend_door", "heropen_reden"])
    audit.dossier(
        gebruiker=by,
        actie="dossier heropend",
        onderwerp=aanvraag,
        omschrijving=afsluiting.heropen_reden,
        gegevens={"afsluiting": afsluiting.pk},
        pad=reverse("uitvoering_heropenen", args=[aanvraag.pk]),
    )
    return afsluiting
