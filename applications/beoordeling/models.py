"""WSE's review of an aanvraag: reviews with scores per priority, questions and answers, internal
notes, and the decision with its letter."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.statuses import AanvraagStatus
from applications.beoordeling.constants import (
    ANTWOORD_MAX,
    BEOORDELING_MOTIVATIE_MAX,
    BESLISSING_MOTIVATIE_MAX,
    NOTITIE_MAX,
    SCORE_MOTIVATIE_MAX,
    TERUGSTUUR_REDEN_MAX,
    VRAAG_MAX,
    Advies,
)
from applications.core.teksten import BegrensdeTekst, lengte_beperking
from applications.oproepen.models import Beleidsprioriteit

# What a decision (or a proposed one) can be.
UITKOMSTEN = [
    (AanvraagStatus.GOEDGEKEURD.value, AanvraagStatus.GOEDGEKEURD.label),
    (AanvraagStatus.AFGEWEZEN.value, AanvraagStatus.AFGEWEZEN.label),
]


class BedragenPerJaar:
    """For a model whose `bedragen` hold an amount per year as JSON text (year -> "12500.00")."""

    bedragen: dict[str, str]

    @property
    def bedragen_per_jaar(self) -> dict[int, Decimal]:
        return {int(jaar): Decimal(bedrag) for jaar, bedrag in self.bedragen.items()}

    @property
    def totaal(self) -> Decimal:
        return sum(self.bedragen_per_jaar.values(), Decimal(0))


class Beoordeling(BedragenPerJaar, models.Model):
    """One reviewer's review of an aanvraag: a score per priority, an advice and amounts.

    Several reviewers may review one aanvraag; each has one review, which they can revise until
    the decision. Only WSE sees reviews (never the regisseurs).
    """

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="beoordelingen"
    )
    beoordelaar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordelaar"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    advies = models.CharField(_("advies"), max_length=20, choices=Advies.choices)
    motivatie = BegrensdeTekst(_("motivatie"), limiet=BEOORDELING_MOTIVATIE_MAX)
    bedragen = models.JSONField(
        _("voorgesteld bedrag per jaar"),
        default=dict,
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    if TYPE_CHECKING:
        scores: models.Manager[Score]
        aanvraag_id: int
        beoordelaar_id: int

    class Meta:
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        ordering = ("aanvraag", "aangemaakt_op")
        constraints = [
            lengte_beperking("motivatie", BEOORDELING_MOTIVATIE_MAX, "beoordeling_beoordeling"),
            models.UniqueConstraint(
                fields=("aanvraag", "beoordelaar"), name="beoordeling_een_per_beoordelaar"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag}: {self.beoordelaar}"


class BeoordelingConcept(models.Model):
    """A review not finished yet: the form's input as the reviewer left it, for them only. It
    counts nowhere (not for the lead, the proposal or the timeline) until it is finished, and
    a finished review stays as it was while its next version is a draft."""

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="+"
    )
    beoordelaar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordelaar"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Field name -> the text typed (scores, amounts and motivations, bounded by the form).
    gegevens = models.JSONField(_("ingevulde velden"), default=dict)
    bewaard_op = models.DateTimeField(_("bewaard op"))

    class Meta:
        verbose_name = _("concept van een beoordeling")
        verbose_name_plural = _("concepten van beoordelingen")
        constraints = [
            models.UniqueConstraint(
                fields=("aanvraag", "beoordelaar"), name="beoordelingconcept_een_per_beoordelaar"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag}: {self.beoordelaar} ({self.bewaard_op:%Y-%m-%d})"


class Score(models.Model):
    """The score of one priority in one review, on the call's scale, with its motivation."""

    beoordeling = models.ForeignKey(
        Beoordeling, verbose_name=_("beoordeling"), on_delete=models.CASCADE, related_name="scores"
    )
    prioriteit = models.ForeignKey(
        Beleidsprioriteit,
        verbose_name=_("beleidsprioriteit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField(_("score"))
    motivatie = BegrensdeTekst(_("motivatie"), limiet=SCORE_MOTIVATIE_MAX)

    if TYPE_CHECKING:
        prioriteit_id: int

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ("beoordeling", "prioriteit__volgorde")
        constraints = [
            lengte_beperking("motivatie", SCORE_MOTIVATIE_MAX, "beoordeling_score"),
            models.UniqueConstraint(
                fields=("beoordeling", "prioriteit"), name="score_een_per_prioriteit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prioriteit.code}: {self.score}"


class Vraag(models.Model):
    """A question of WSE to the regisseurs of an aanvraag, and their answer."""

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="vragen"
    )
    tekst = BegrensdeTekst(_("vraag"), limiet=VRAAG_MAX)
    gesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gesteld door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    gesteld_op = models.DateTimeField(_("gesteld op"), default=timezone.now)
    antwoord = BegrensdeTekst(_("antwoord"), blank=True, limiet=ANTWOORD_MAX)
    beantwoord_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beantwoord door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    beantwoord_op = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    if TYPE_CHECKING:
        aanvraag_id: int

    class Meta:
        constraints = [
            lengte_beperking("antwoord", ANTWOORD_MAX, "beoordeling_vraag"),
            lengte_beperking("tekst", VRAAG_MAX, "beoordeling_vraag"),
        ]
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ("gesteld_op", "pk")

    def __str__(self) -> str:
        return self.tekst[:60]

    @property
    def is_beantwoord(self) -> bool:
        return self.beantwoord_op is not None


class Notitie(models.Model):
    """An internal note of WSE on an aanvraag. Never shown to the regisseurs."""

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="notities"
    )
    tekst = BegrensdeTekst(_("notitie"), limiet=NOTITIE_MAX)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    op = models.DateTimeField(_("op"), default=timezone.now)

    class Meta:
        constraints = [lengte_beperking("tekst", NOTITIE_MAX, "beoordeling_notitie")]
        verbose_name = _("interne notitie")
        verbose_name_plural = _("interne notities")
        ordering = ("op", "pk")

    def __str__(self) -> str:
        return self.tekst[:60]


def beslissingsbrief_path(instance: Beslissing, filename: str) -> str:
    return f"beslissingen/{instance.aanvraag_id}/{instance.brief_sha256}.pdf"


class Beslissing(BedragenPerJaar, models.Model):
    """WSE's decision on an aanvraag: approved with the granted amount per year, or refused.

    The decision letter is rendered once, when the decision is recorded, and kept with its hash.
    """

    aanvraag = models.OneToOneField(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.PROTECT, related_name="beslissing"
    )
    uitkomst = models.CharField(
        _("beslissing"),
        max_length=25,
        choices=UITKOMSTEN,
    )
    bedragen = models.JSONField(
        _("toegekend bedrag per jaar"),
        default=dict,
    )
    motivatie = BegrensdeTekst(_("motivatie"), limiet=BESLISSING_MOTIVATIE_MAX)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslist door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    op = models.DateTimeField(_("beslist op"))
    brief = models.FileField(_("beslissingsbrief"), upload_to=beslissingsbrief_path, max_length=300)
    brief_sha256 = models.CharField(_("SHA-256 van de brief"), max_length=64)
    brief_grootte = models.PositiveIntegerField(_("grootte (bytes)"))
    # After the archive period of its closed dossier the letter is deleted whole (never edited):
    # the file goes, its SHA-256 and size stay, and this date says when.
    brief_verwijderd_op = models.DateTimeField(
        _("brief verwijderd op"), null=True, blank=True, editable=False
    )

    if TYPE_CHECKING:
        aanvraag_id: int

    class Meta:
        constraints = [
            lengte_beperking("motivatie", BESLISSING_MOTIVATIE_MAX, "beoordeling_beslissing")
        ]
        verbose_name = _("beslissing")
        verbose_name_plural = _("beslissingen")

    def __str__(self) -> str:
        return f"{self.aanvraag}: {self.get_uitkomst_display()}"

    @property
    def brief_verwijderd(self) -> bool:
        """Whether the letter was deleted after its archive period (its hash stays)."""
        return self.brief_verwijderd_op is not None


class Voorstelstatus(models.TextChoices):
    OPEN = "open", _("wacht op bevestiging")
    BEVESTIGD = "bevestigd", _("bevestigd")
    TERUGGESTUURD = "teruggestuurd", _("teruggestuurd")
    # The aanvraag left the review before anyone confirmed (withdrawn, changes asked, decided
    # otherwise): the proposal no longer applies.
    VERVALLEN = "vervallen", _("vervallen")


class Beslissingsvoorstel(BedragenPerJaar, models.Model):
    """Under the call's vier-ogenprincipe: a decision one reviewer proposes and a second one
    (never the proposer) confirms, which records the decision, or sends back with a reason.
    Every proposal stays, for the timeline."""

    aanvraag = models.ForeignKey(
        Aanvraag,
        verbose_name=_("aanvraag"),
        on_delete=models.CASCADE,
        related_name="beslissingsvoorstellen",
    )
    uitkomst = models.CharField(
        _("beslissing"),
        max_length=25,
        choices=UITKOMSTEN,
    )
    bedragen = models.JSONField(_("voorgesteld bedrag per jaar"), default=dict)
    # As the letter will print it (with the reason for granting more than asked, if any).
    motivatie = BegrensdeTekst(_("motivatie"), limiet=BESLISSING_MOTIVATIE_MAX)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voorgesteld door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    op = models.DateTimeField(_("voorgesteld op"))
    status = models.CharField(
        _("status"), max_length=20, choices=Voorstelstatus.choices, default=Voorstelstatus.OPEN
    )
    behandeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bevestigd of teruggestuurd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    behandeld_op = models.DateTimeField(_("bevestigd of teruggestuurd op"), null=True, blank=True)
    reden = BegrensdeTekst(_("reden van terugsturen"), blank=True, limiet=TERUGSTUUR_REDEN_MAX)

    if TYPE_CHECKING:
        aanvraag_id: int
        door_id: int
        behandeld_door_id: int | None

    class Meta:
        verbose_name = _("beslissingsvoorstel")
        verbose_name_plural = _("beslissingsvoorstellen")
        ordering = ("aanvraag", "op")
        constraints = [
            lengte_beperking("motivatie", BESLISSING_MOTIVATIE_MAX, "beoordeling_voorstel"),
            lengte_beperking("reden", TERUGSTUUR_REDEN_MAX, "beoordeling_voorstel"),
            models.UniqueConstraint(
                fields=("aanvraag",),
                condition=models.Q(status="open"),
                name="beslissingsvoorstel_een_open_per_aanvraag",
            ),
            # The proposer may withdraw (send back) their own proposal, never confirm it.
            models.CheckConstraint(
                condition=~models.Q(status="bevestigd")
                | ~models.Q(behandeld_door=models.F("door")),
                name="beslissingsvoorstel_vier_ogen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag}: {self.get_uitkomst_display()} ({self.get_status_display()})"


class Bekeken(models.Model):
    """When a WSE user last opened the review page of an aanvraag and found something new there
    (or first opened it): what changed since then is what their queue and that page point out.
    A visit that finds nothing new is not written down: what is new next time is the same
    either way, and the pages kept under this visit stay kept."""

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="+"
    )
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    op = models.DateTimeField(_("laatst bekeken op"))

    class Meta:
        verbose_name = _("laatst bekeken")
        verbose_name_plural = _("laatst bekeken")
        constraints = [
            models.UniqueConstraint(fields=("aanvraag", "gebruiker"), name="bekeken_een_per_paar")
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag}: {self.gebruiker} ({self.op:%Y-%m-%d %H:%M})"
