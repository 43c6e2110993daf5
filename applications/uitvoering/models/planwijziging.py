"""A change to the meerjarenplan of a granted aanvraag, proposed by the verband's regisseurs
during the period and approved or refused by WSE: actions added, changed or cancelled, and
besturen joining or leaving the verband.

What the proposal changes is kept as rows of its own (`Actiewijziging`, `Ledenwijziging`), so
the reviewer sees it against the sealed version it started from (`basis`). An approved change
is applied to the aanvraag's actions and the verband's memberships and sealed as a new version
(`versie`, an `Indiening` like a submission's); the granted amounts never change by it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.aanvragen.constants import (
    ACTIE_BESCHRIJVING_MAX,
    ACTIE_REGEL_MAX,
    ACTIE_RESULTAAT_MAX,
    ACTIE_TITEL_MAX,
)
from applications.aanvragen.models import Aanvraag, Indiening
from applications.besturen.models import Lidmaatschap, LokaalBestuur
from applications.core.teksten import BegrensdeTekst, lengte_beperking
from applications.oproepen.models import Beleidsprioriteit
from applications.uitvoering.constants import (
    WIJZIGING_MOTIVATIE_MAX,
    WIJZIGING_OPEN,
    WIJZIGING_REDEN_MAX,
    Actiewijzigingssoort,
    Ledenwijzigingssoort,
    Wijzigingsstatus,
)


class Planwijziging(models.Model):
    """One proposed change to the meerjarenplan, numbered per aanvraag (1, 2, ...).

    At most one per aanvraag is open (concept or ingediend) at a time. `basis` is the sealed
    version it is compared against: the decided one, or the one the last approved change
    sealed. `versie` is the version its approval sealed."""

    aanvraag = models.ForeignKey(
        Aanvraag,
        verbose_name=_("aanvraag"),
        on_delete=models.PROTECT,
        related_name="planwijzigingen",
    )
    nummer = models.PositiveSmallIntegerField(_("nummer"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Wijzigingsstatus.choices,
        default=Wijzigingsstatus.CONCEPT,
    )
    motivatie = BegrensdeTekst(_("motivatie"), blank=True, limiet=WIJZIGING_MOTIVATIE_MAX)
    basis = models.ForeignKey(
        Indiening,
        verbose_name=_("vergeleken met versie"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    versie = models.OneToOneField(
        Indiening,
        verbose_name=_("verzegelde versie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="planwijziging",
    )
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), default=timezone.now)
    ingediend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingediend door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ingediend_op = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    beoordeeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordeeld door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    beoordeeld_op = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    reden = BegrensdeTekst(_("reden van de weigering"), blank=True, limiet=WIJZIGING_REDEN_MAX)

    if TYPE_CHECKING:
        aanvraag_id: int
        basis_id: int
        versie_id: int | None
        acties: models.Manager[Actiewijziging]
        leden: models.Manager[Ledenwijziging]
        stappen: models.Manager[Planwijzigingstap]

    class Meta:
        verbose_name = _("wijziging van het meerjarenplan")
        verbose_name_plural = _("wijzigingen van het meerjarenplan")
        ordering = ("aanvraag", "nummer")
        constraints = [
            lengte_beperking("motivatie", WIJZIGING_MOTIVATIE_MAX, "uitvoering_planwijziging"),
            lengte_beperking("reden", WIJZIGING_REDEN_MAX, "uitvoering_planwijziging"),
            models.UniqueConstraint(
                fields=("aanvraag", "nummer"), name="planwijziging_nummer_uniek"
            ),
            models.UniqueConstraint(
                fields=("aanvraag",),
                condition=Q(status__in=WIJZIGING_OPEN),
                name="planwijziging_een_open_per_aanvraag",
                violation_error_message=_(
                    "Deze aanvraag heeft al een open voorstel tot wijziging."
                ),
            ),
            # A refusal says why; an approval has its sealed version.
            models.CheckConstraint(
                condition=~Q(status=Wijzigingsstatus.GEWEIGERD) | ~Q(reden=""),
                name="planwijziging_weigering_met_reden",
            ),
            models.CheckConstraint(
                condition=~Q(status=Wijzigingsstatus.GOEDGEKEURD) | Q(versie__isnull=False),
                name="planwijziging_goedgekeurd_verzegeld",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag}: wijziging {self.nummer} ({self.get_status_display()})"


class Actiewijziging(models.Model):
    """What a proposal does to one action: a new one, new values for an existing one, or
    cancelling it. The fields hold the action as it will be (a cancelled one: as it was).

    `actie_nummer` is the action's id in the plan (and in the sealed snapshots): the action
    changed or cancelled, or, once approved, the action a new one became."""

    planwijziging = models.ForeignKey(
        Planwijziging,
        verbose_name=_("wijziging"),
        on_delete=models.CASCADE,
        related_name="acties",
    )
    soort = models.CharField(_("soort"), max_length=20, choices=Actiewijzigingssoort.choices)
    actie_nummer = models.PositiveIntegerField(_("actie in het plan"), null=True, blank=True)
    prioriteit = models.ForeignKey(
        Beleidsprioriteit,
        verbose_name=_("beleidsprioriteit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    titel = models.CharField(_("titel"), max_length=ACTIE_TITEL_MAX)
    beschrijving = BegrensdeTekst(_("beschrijving"), blank=True, limiet=ACTIE_BESCHRIJVING_MAX)
    doelgroep = models.CharField(_("doelgroep"), max_length=ACTIE_REGEL_MAX, blank=True)
    verwacht_resultaat = BegrensdeTekst(
        _("verwacht resultaat"), blank=True, limiet=ACTIE_RESULTAAT_MAX
    )
    indicator = models.CharField(_("indicator"), max_length=ACTIE_REGEL_MAX, blank=True)
    partners = models.CharField(_("partners"), max_length=ACTIE_REGEL_MAX, blank=True)
    budget = models.DecimalField(
        _("budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    if TYPE_CHECKING:
        planwijziging_id: int
        prioriteit_id: int

    class Meta:
        verbose_name = _("wijziging van een actie")
        verbose_name_plural = _("wijzigingen van acties")
        ordering = ("planwijziging", "jaar", "prioriteit__volgorde", "pk")
        constraints = [
            lengte_beperking(
                "verwacht_resultaat", ACTIE_RESULTAAT_MAX, "uitvoering_actiewijziging"
            ),
            lengte_beperking("beschrijving", ACTIE_BESCHRIJVING_MAX, "uitvoering_actiewijziging"),
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="actiewijziging_budget_niet_negatief"
            ),
            models.UniqueConstraint(
                fields=("planwijziging", "actie_nummer"),
                condition=Q(actie_nummer__isnull=False),
                name="actiewijziging_een_per_actie",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_soort_display()}: {self.jaar} {self.titel}"


class Ledenwijziging(models.Model):
    """A bestuur that joins the verband from a day, or a member that leaves from a day (its
    membership ends the day before). Approved, it becomes a `Lidmaatschap` row, or the end of
    one: the membership history is kept, never rewritten."""

    planwijziging = models.ForeignKey(
        Planwijziging,
        verbose_name=_("wijziging"),
        on_delete=models.CASCADE,
        related_name="leden",
    )
    soort = models.CharField(_("soort"), max_length=20, choices=Ledenwijzigingssoort.choices)
    bestuur = models.ForeignKey(
        LokaalBestuur,
        verbose_name=_("lokaal bestuur"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    datum = models.DateField(_("vanaf"))
    lidmaatschap = models.ForeignKey(
        Lidmaatschap,
        verbose_name=_("lidmaatschap"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    if TYPE_CHECKING:
        planwijziging_id: int
        bestuur_id: int

    class Meta:
        verbose_name = _("wijziging van de leden")
        verbose_name_plural = _("wijzigingen van de leden")
        ordering = ("planwijziging", "datum", "bestuur__naam")
        constraints = [
            models.UniqueConstraint(
                fields=("planwijziging", "bestuur"),
                name="ledenwijziging_een_per_bestuur",
                violation_error_message=_("Dit bestuur staat al in het voorstel."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bestuur} {self.get_soort_display()} {self.datum.isoformat()}"


class Planwijzigingstap(models.Model):
    """One change of a proposal's status, with who, when and (for a refusal) why: the history
    shown on the uitvoering page's timeline."""

    planwijziging = models.ForeignKey(
        Planwijziging,
        verbose_name=_("wijziging"),
        on_delete=models.CASCADE,
        related_name="stappen",
    )
    van = models.CharField(_("van"), max_length=20, choices=Wijzigingsstatus.choices)
    naar = models.CharField(_("naar"), max_length=20, choices=Wijzigingsstatus.choices)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    op = models.DateTimeField(_("op"))
    reden = BegrensdeTekst(_("reden"), blank=True, limiet=WIJZIGING_REDEN_MAX)

    class Meta:
        verbose_name = _("statuswijziging van een voorstel tot wijziging")
        verbose_name_plural = _("statuswijzigingen van voorstellen tot wijziging")
        ordering = ("planwijziging", "op", "pk")
        constraints = [
            lengte_beperking("reden", WIJZIGING_REDEN_MAX, "uitvoering_planwijzigingstap"),
        ]

    def __str__(self) -> str:
        return f"{self.planwijziging}: {self.van} -> {self.naar}"
