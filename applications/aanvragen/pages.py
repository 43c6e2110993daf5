"""What every page of one aanvraag needs: the aanvraag if the user may see (404 otherwise) or
change it (403 otherwise), and the context of its tabs."""

from __future__ import annotations

from typing import Any

from django.http import (
    HttpRequest,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise as StrOrPromise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.aanvragen.completeness import (
    Completeness,
    Sectie,
    aanvraag_completeness,
    bewaarde_completeness,
)
from applications.aanvragen.deadline import effective_deadline, is_open_for_editing, tijd_tot
from applications.aanvragen.models import Aanvraag
from applications.aanvragen.permissions import can_edit_aanvraag, can_view_aanvraag
from applications.aanvragen.selectors import verlengingen_prefetch
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.versietellers import met_referentieversie
from applications.aanvragen.verzoeken import open_verzoeken
from applications.besturen.permissions import is_regisseur_of
from applications.core.permissions import check_access

SECTIONS: list[tuple[str, StrOrPromise, str]] = [
    (Sectie.VERBAND, gettext_lazy("Regieverband en contact"), "aanvraag_verband"),
    (Sectie.TEKSTEN, gettext_lazy("Omgevingsanalyse en visie"), "aanvraag_teksten"),
    (Sectie.MEERJARENPLAN, gettext_lazy("Meerjarenplan"), "aanvraag_meerjarenplan"),
    (Sectie.BEGROTING, gettext_lazy("Begroting"), "aanvraag_begroting"),
    (Sectie.BIJLAGEN, gettext_lazy("Bijlagen"), "aanvraag_bijlagen"),
    ("overzicht", gettext_lazy("Overzicht en indienen"), "aanvraag_overzicht"),
]
SECTIE_URL = {key: url_name for key, _label, url_name in SECTIONS}


def aanvraag_for_user(request: HttpRequest, pk: int) -> Aanvraag:
    """The aanvraag if this user may see it; a 404 otherwise, so nobody learns it exists."""
    aanvraag = (
        # Who submitted or last saved it is read where a page shows it (the overview, the
        # conflict screen): joining two users here cost a fifth of this read on every page.
        met_referentieversie(
            Aanvraag.objects.select_related("regieverband", "regieverband__trekker", "oproep")
        )
        .prefetch_related(verlengingen_prefetch())
        .filter(pk=pk)
        .first()
    )
    check_access(may_see=aanvraag is not None and can_view_aanvraag(request.user, aanvraag))
    assert aanvraag is not None
    return aanvraag


def editable_aanvraag_for_user(request: HttpRequest, pk: int) -> Aanvraag:
    """For POSTs that change content: 404 when invisible, 403 when visible but not the user's."""
    aanvraag = aanvraag_for_user(request, pk)
    check_access(
        may_see=True,
        may_change=can_edit_aanvraag(request.user, aanvraag),
        waarom=_waarom_niet_wijzigen(request.user, aanvraag),
    )
    return aanvraag


def _tab_ok(completeness: Completeness, key: str) -> bool:
    """A tick only where the section has rules and meets them all. The budget has no rules of its
    own: it is the sum of the actions, so it is complete with the meerjarenplan."""
    if key == "overzicht":
        return completeness.is_complete
    regels = Sectie.MEERJARENPLAN if key == Sectie.BEGROTING else key
    return bool(completeness.for_section(regels)) and completeness.section_ok(regels)


def _waarom_niet_wijzigen(user: Any, aanvraag: Aanvraag) -> str:
    """What the 403 page says when a user may see this aanvraag but not change it."""
    if not is_regisseur_of(user, aanvraag.regieverband):
        return _(
            "U kunt deze aanvraag bekijken, maar alleen de regisseurs van %(verband)s wijzigen ze."
        ) % {"verband": aanvraag.regieverband.naam}
    return _(
        "Deze aanvraag is %(status)s: in deze fase kan ze niet meer gewijzigd worden. Vraagt WSE "
        "wijzigingen, dan kan het weer."
    ) % {"status": AanvraagStatus(aanvraag.status).label.lower()}


def aanvraag_page_context(
    request: HttpRequest, aanvraag: Aanvraag, active: str, **extra: object
) -> dict[str, object]:
    now = timezone.now()
    deadline = effective_deadline(aanvraag)
    # A GET shows what is stored; after a POST the aanvraag in memory may hold what was refused.
    completeness = (
        bewaarde_completeness(aanvraag)
        if request.method in ("GET", "HEAD")
        else aanvraag_completeness(aanvraag)
    )
    editable = can_edit_aanvraag(request.user, aanvraag) and is_open_for_editing(aanvraag, now=now)
    sections = [
        {
            "key": key,
            "label": label,
            "url": reverse(url_name, args=[aanvraag.pk]),
            "active": key == active,
            "ok": _tab_ok(completeness, key),
        }
        for key, label, url_name in SECTIONS
    ]
    return {
        "aanvraag": aanvraag,
        "oproep": aanvraag.oproep,
        "completeness": completeness,
        "sections": sections,
        "active": active,
        "editable": editable,
        "deadline": deadline,
        "deadline_passed": now.replace(microsecond=0) > deadline,
        "extended": any(v.tot == deadline for v in aanvraag.verlengingen.all()),
        "time_left": tijd_tot(deadline, now),
        # Every missing item with the page where it is filled in.
        "ontbrekend": [
            (check.label, reverse(SECTIE_URL[check.sectie], args=[aanvraag.pk]))
            for check in completeness.missing
        ],
        "verzoeken": open_verzoeken([aanvraag]),
        **extra,
    }
