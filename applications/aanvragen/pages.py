"""What every page of one aanvraag needs: the aanvraag if the user may see (404 otherwise) or
change it (403 otherwise), and the context of its tabs."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch
from django.http import (
    HttpRequest,
)
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise as StrOrPromise
from django.utils.functional import SimpleLazyObject
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.aanvragen import versietellers
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


def aanvraag_for_user(request: HttpRequest, pk: int, *, bewaard: bool = False) -> Aanvraag:
    """The aanvraag if this user may see it; a 404 otherwise, so nobody learns it exists.

    `bewaard`: a page that is kept per version (`aanvraag_page_context(bewaar=True)`) reads the
    aanvraag as kept for its version too, on a GET: one small query for the counters instead of
    two for the aanvraag, its verband, call and extensions.
    """
    if bewaard and request.method in ("GET", "HEAD"):
        aanvraag = _bewaarde_aanvraag(pk)
    else:
        aanvraag = _aanvraag(pk, verlengingen_prefetch())
    check_access(may_see=aanvraag is not None and can_view_aanvraag(request.user, aanvraag))
    assert aanvraag is not None
    return aanvraag


def _aanvraag(pk: int, verlengingen: Prefetch | str) -> Aanvraag | None:
    # Who submitted or last saved it is read where a page shows it (the overview, the conflict
    # screen): joining two users here cost a fifth of this read on every page.
    return (
        met_referentieversie(
            Aanvraag.objects.select_related("regieverband", "regieverband__trekker", "oproep")
        )
        .prefetch_related(verlengingen)
        .filter(pk=pk)
        .first()
    )


def _bewaarde_aanvraag(pk: int) -> Aanvraag | None:
    """The aanvraag as kept for the version of it stored now. The extensions are kept without
    who granted them: the counters do not follow users, and these pages do not show them."""
    versies = versietellers.sleutel_van(pk)
    if versies is None:
        return None
    bewaard = cache.get(f"aanvragen:aanvraag:{versies}")
    if isinstance(bewaard, Aanvraag):
        return bewaard
    aanvraag = _aanvraag(pk, "verlengingen")
    if aanvraag is not None:
        # Under the counters read with it: at least as new as the ones read just before.
        cache.set(f"aanvragen:aanvraag:{versietellers.sleutel(aanvraag)}", aanvraag)
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
    request: HttpRequest, aanvraag: Aanvraag, active: str, *, bewaar: bool = False, **extra: object
) -> dict[str, object]:
    """The context of every page of an aanvraag.

    `bewaar`: the page shows only what the version counters follow (the aanvraag, its actions,
    attachments, extensions, status history and open questions, and the reference data), so on
    a GET its body is kept per version (`pagina_sleutel`, see `{% bewaard %}` in
    aanvraag_base.html); only the deadline band and the CSRF tokens are made anew. What the
    context holds is then computed only when a part of the page is drawn: pass the page's own
    objects lazily (SimpleLazyObject) too.
    """
    now = timezone.now()
    deadline = effective_deadline(aanvraag)
    deadline_passed = now.replace(microsecond=0) > deadline
    # A GET shows what is stored; after a POST the aanvraag in memory may hold what was refused.
    is_get = request.method in ("GET", "HEAD")
    completeness = bewaarde_completeness(aanvraag) if is_get else aanvraag_completeness(aanvraag)
    editable = can_edit_aanvraag(request.user, aanvraag) and is_open_for_editing(aanvraag, now=now)

    def sections() -> list[dict[str, object]]:
        return [
            {
                "key": key,
                "label": label,
                "url": reverse(url_name, args=[aanvraag.pk]),
                "active": key == active,
                "ok": _tab_ok(completeness, key),
            }
            for key, label, url_name in SECTIONS
        ]

    def ontbrekend() -> list[tuple[str, str]]:
        # Every missing item with the page where it is filled in.
        return [
            (check.label, reverse(SECTIE_URL[check.sectie], args=[aanvraag.pk]))
            for check in completeness.missing
        ]

    return {
        "aanvraag": aanvraag,
        "oproep": aanvraag.oproep,
        "completeness": completeness,
        "sections": SimpleLazyObject(sections),
        "active": active,
        "editable": editable,
        "deadline": deadline,
        "deadline_passed": deadline_passed,
        "extended": any(v.tot == deadline for v in aanvraag.verlengingen.all()),
        "time_left": tijd_tot(deadline, now),
        "ontbrekend": SimpleLazyObject(ontbrekend),
        "verzoeken": SimpleLazyObject(lambda: open_verzoeken([aanvraag])),
        "pagina_sleutel": (
            _pagina_sleutel(
                request, aanvraag, now=now, editable=editable, deadline_passed=deadline_passed
            )
            if bewaar and is_get
            else None
        ),
        **extra,
    }


def _pagina_sleutel(
    request: HttpRequest,
    aanvraag: Aanvraag,
    *,
    now: datetime.datetime,
    editable: bool,
    deadline_passed: bool,
) -> str | None:
    """Everything a kept page's body depends on besides its request's CSRF token: the page (its
    path: kept pages read no query parameters, so made-up ones cannot fill the cache), the
    versions, the viewer (`kijker`), whether they may change it now and whether the deadline
    passed. None when the aanvraag was read without its versions."""
    versies = versietellers.sleutel(aanvraag)
    if versies is None:
        return None
    return "|".join(
        [
            "aanvraagpagina",
            request.path,
            versies,
            kijker(request, now),
            str(editable),
            str(deadline_passed),
        ]
    )


def kijker(request: HttpRequest, now: datetime.datetime) -> str:
    """What a kept page's body depends on besides its data: the language, the day (a merger's
    member is named "vanaf" a date before it and "sinds" from then on, days are counted), and
    who looks (the user and their roles as the pages ask them: a superuser is a beheerder
    without the group)."""
    user = request.user
    rollen = [
        getattr(user, rol, False) for rol in ("is_regisseur", "is_beoordelaar", "is_beheerder")
    ]
    return "|".join(
        [
            translation.get_language() or "",
            localdate(now).isoformat(),
            str(user.pk),
            str(rollen),
        ]
    )
