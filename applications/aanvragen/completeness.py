"""Whether an aanvraag may be submitted: the checks per section, and what WSE will ask about
without blocking (a bestuur in two verbanden of the call, too few inhabitants)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.aanvragen import versietellers
from applications.aanvragen.models import (
    Aanvraag,
)
from applications.aanvragen.overlaps import aanvraag_not_withdrawn
from applications.aanvragen.selectors import bevolking_van, leden_van_aanvraag
from applications.besturen.models import Lidmaatschap, LokaalBestuur


class Sectie:
    VERBAND = "verband"
    TEKSTEN = "teksten"
    MEERJARENPLAN = "meerjarenplan"
    BEGROTING = "begroting"
    BIJLAGEN = "bijlagen"


@dataclass(frozen=True)
class Check:
    """One completeness rule and whether the aanvraag meets it."""

    sectie: str
    label: str
    ok: bool


@dataclass
class Completeness:
    checks: list[Check]
    warnings: list[str] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def done(self) -> int:
        return sum(c.ok for c in self.checks)

    @property
    def total(self) -> int:
        return len(self.checks)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def missing(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def for_section(self, sectie: str) -> list[Check]:
        return [c for c in self.checks if c.sectie == sectie]

    def section_ok(self, sectie: str) -> bool:
        return all(c.ok for c in self.for_section(sectie))


def aanvraag_completeness(aanvraag: Aanvraag) -> Completeness:
    """Check every rule of the call on the aanvraag, in a fixed number of queries.

    The rules: a contact person, at least one member, the required texts, at least the call's
    minimum number of actions per priority for every year, and the required attachments
    (one per member where the call asks a decision of each member).
    """
    oproep = aanvraag.oproep
    leden = leden_van_aanvraag(aanvraag)
    checks = [
        Check(
            Sectie.VERBAND,
            _("Contactpersoon met naam en e-mailadres"),
            bool(aanvraag.contact_naam.strip() and aanvraag.contact_email.strip()),
        ),
        Check(Sectie.VERBAND, _("Minstens één lid van het regieverband"), bool(leden)),
        Check(Sectie.TEKSTEN, _("Omgevingsanalyse"), bool(aanvraag.omgevingsanalyse.strip())),
        Check(Sectie.TEKSTEN, _("Visie en beleidsplanning"), bool(aanvraag.visie.strip())),
    ]
    counts = Counter(aanvraag.acties.values_list("prioriteit_id", "jaar"))
    minimum = oproep.min_acties_per_prioriteit_per_jaar
    for prioriteit in oproep.prioriteiten.all():
        for jaar in oproep.jaren:
            checks.append(
                Check(
                    Sectie.MEERJARENPLAN,
                    ngettext(
                        "%(code)s in %(jaar)s: minstens %(n)s actie",
                        "%(code)s in %(jaar)s: minstens %(n)s acties",
                        minimum,
                    )
                    % {"code": prioriteit.code, "jaar": jaar, "n": minimum},
                    counts[(prioriteit.pk, jaar)] >= minimum,
                )
            )
    bijlagen = list(aanvraag.bijlagen.values_list("bijlagetype_id", "bestuur_id"))
    for bijlagetype in oproep.aanvraag_bijlagetypes().filter(verplicht=True):
        if bijlagetype.per_lid:
            for lid in leden:
                checks.append(
                    Check(
                        Sectie.BIJLAGEN,
                        f"{bijlagetype.naam}: {lid.naam}",
                        (bijlagetype.pk, lid.pk) in bijlagen,
                    )
                )
        else:
            checks.append(
                Check(
                    Sectie.BIJLAGEN,
                    bijlagetype.naam,
                    any(t == bijlagetype.pk for t, _b in bijlagen),
                )
            )
    return Completeness(checks=checks, warnings=aanvraag_warnings(aanvraag, leden))


def bewaarde_completeness(aanvraag: Aanvraag) -> Completeness:
    """`aanvraag_completeness`, kept in the cache per version of everything it reads: the
    aanvraag's `inhoudsversie` and the `referentieversie` (versietellers), both read with the
    aanvraag by `versietellers.met_referentieversie`, so whatever is read later is at least as new
    as the key. An aanvraag read without them is checked afresh.
    """
    versies = versietellers.sleutel(aanvraag)
    if versies is None:
        return aanvraag_completeness(aanvraag)
    sleutel = f"aanvragen:completeness:{versies}:{translation.get_language()}"
    bewaard = cache.get(sleutel)
    if not isinstance(bewaard, Completeness):
        bewaard = aanvraag_completeness(aanvraag)
        cache.set(sleutel, bewaard)
    return bewaard


def aanvraag_warnings(aanvraag: Aanvraag, leden: list[LokaalBestuur]) -> list[str]:
    """What WSE will ask about but does not block submission: overlap and population."""
    oproep = aanvraag.oproep
    warnings: list[str] = []
    if oproep.een_verband_per_bestuur and leden:
        # Another verband's aanvraag in this call that still counts (one test on one aanvraag:
        # a withdrawn aanvraag of another call must not hide an overlap in this one).
        overlap = (
            Lidmaatschap.objects.filter(bestuur__in=leden)
            .actief_op(oproep.peildatum)
            .filter(Exists(aanvraag_not_withdrawn(oproep, OuterRef("regieverband"))))
            .exclude(regieverband_id=aanvraag.regieverband_id)
            .select_related("bestuur", "regieverband")
            .order_by("bestuur__naam")
        )
        for lid in overlap:
            warnings.append(
                _("%(bestuur)s zit ook in de aanvraag van %(verband)s voor deze oproep.")
                % {"bestuur": lid.bestuur.naam, "verband": lid.regieverband.naam}
            )
    if oproep.min_inwoners and leden:
        alone_centrumstad = (
            oproep.centrumstad_mag_alleen and len(leden) == 1 and leden[0].is_centrumstad
        )
        inwoners, onbekend = bevolking_van(leden, jaar=oproep.eerste_jaar)
        if onbekend:
            warnings.append(
                _("Het inwonersaantal is niet gekend voor: %(namen)s.")
                % {"namen": ", ".join(b.naam for b in onbekend)}
            )
        elif inwoners < oproep.min_inwoners and not alone_centrumstad:
            warnings.append(
                _("De leden tellen samen %(n)s inwoners; de oproep vraagt minstens %(min)s.")
                % {
                    "n": formats.number_format(inwoners, force_grouping=True),
                    "min": formats.number_format(oproep.min_inwoners, force_grouping=True),
                }
            )
    return warnings
