"""The deadline rule: an aanvraag is open for editing until its call's deadline second (Brussels
time), or until an extension WSE granted that aanvraag."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.aanvragen.models import (
    Aanvraag,
)
from applications.aanvragen.statuses import EDITABLE_STATUSES, AanvraagStatus
from applications.accounts.models import User
from applications.besturen.permissions import is_regisseur_of


def effective_deadline(aanvraag: Aanvraag) -> datetime.datetime:
    """Until when the regisseurs can change and submit: the call's deadline for a draft, the due
    date WSE set when it asked for changes, or a later extension WSE granted to this aanvraag."""
    deadline = aanvraag.oproep.deadline
    sinds = None
    if aanvraag.status == AanvraagStatus.WIJZIGINGEN_GEVRAAGD and aanvraag.wijzigingen_tot:
        deadline = aanvraag.wijzigingen_tot
        # An extension of the first deadline does not stretch the time for changes.
        sinds = aanvraag.ingediend_op
    verlengingen = getattr(aanvraag, "_prefetched_objects_cache", {}).get("verlengingen")
    if verlengingen is None:
        verlengingen = list(aanvraag.verlengingen.all())
    tots = [v.tot for v in verlengingen if sinds is None or v.toegekend_op >= sinds]
    return max([deadline, *tots])


def is_before_deadline(aanvraag: Aanvraag, *, now: datetime.datetime | None = None) -> bool:
    """The deadline rule: accepted up to and including the deadline's second, refused after it.

    The deadline is a whole second (e.g. 2023-01-15 23:59:59 Europe/Brussels); any moment within
    that second still counts, the next second does not. `now` is the server's clock, never the
    browser's.
    """
    now = now or timezone.now()
    return now.replace(microsecond=0) <= effective_deadline(aanvraag)


def deadline_text(deadline: datetime.datetime) -> str:
    local = timezone.localtime(deadline)
    return formats.date_format(local, "j F Y") + " " + local.strftime("%H:%M:%S")


def tijd_tot(deadline: datetime.datetime, now: datetime.datetime) -> str:
    """How long until the deadline, in one unit and proper Dutch: "58 dagen", "1 dag", "5 uur",
    "12 minuten" (Django's timeuntil said "1 maand, 4 weken")."""
    seconden = max(0, int((deadline - now).total_seconds()))
    dagen = seconden // 86_400
    if dagen >= 2:
        return ngettext("%(n)s dag", "%(n)s dagen", dagen) % {"n": dagen}
    uren = seconden // 3600
    if uren >= 1:
        return ngettext("%(n)s uur", "%(n)s uur", uren) % {"n": uren}
    minuten = max(1, seconden // 60)
    return ngettext("%(n)s minuut", "%(n)s minuten", minuten) % {"n": minuten}


def is_open_for_editing(aanvraag: Aanvraag, *, now: datetime.datetime | None = None) -> bool:
    """The content can change in an editable status (a draft, or changes asked by WSE), up to
    and including its deadline (`effective_deadline`)."""
    return aanvraag.status in EDITABLE_STATUSES and is_before_deadline(aanvraag, now=now)


def ensure_editable(aanvraag: Aanvraag, *, by: User, now: datetime.datetime | None = None) -> None:
    """Raise PermissionDenied for someone who may not edit, ValidationError when it is closed."""
    if not is_regisseur_of(by, aanvraag.regieverband):
        raise PermissionDenied(_("Alleen de regisseurs van dit regieverband wijzigen de aanvraag."))
    if aanvraag.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Deze aanvraag is %(status)s en kan niet meer gewijzigd worden.")
            % {"status": AanvraagStatus(aanvraag.status).label.lower()},
            code="not_editable",
        )
    if not is_open_for_editing(aanvraag, now=now):
        raise ValidationError(
            _(
                "De uiterste indieningsdatum (%(deadline)s, Brusselse tijd) is voorbij. De "
                "aanvraag kan niet meer gewijzigd worden, tenzij WSE uitstel toekent."
            )
            % {"deadline": deadline_text(effective_deadline(aanvraag))},
            code="deadline_passed",
        )
