"""The money of a granted aanvraag: the call's tranches (a setting), the ledger of payments and
corrections, later decisions on the granted amounts, and the amounts to recover.

The ledger only grows: a payment booked wrongly is undone by a correction, money paid back by a
repayment, each a row of its own with who booked it and when.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.aanvragen.models import Aanvraag, Actie
from applications.beoordeling.constants import BESLISSING_MOTIVATIE_MAX
from applications.beoordeling.models import BedragenPerJaar
from applications.core.teksten import BegrensdeTekst, lengte_beperking
from applications.oproepen.models import BijlageType, Oproep
from applications.uitvoering.constants import (
    BBC_ACTIE_MAX,
    HEROPEN_REDEN_MAX,
    MEER_GEVRAAGD_MAX,
    REALISATIE_TOELICHTING_MAX,
    REFERENTIE_MAX,
    SCHIJF_NAAM_MAX,
    TOELICHTING_MAX,
    Boekingssoort,
    Opvolgherinneringsmoment,
    Opvolgstatus,
    Realisatie,
    Schijfmoment,
)

HONDERD = Decimal(100)


class Betalingsschijf(models.Model):
    """One tranche of each year's granted amount, a setting of the call: for example an
    advance of 60% at the start of the year and the balance of 40% once the year's opvolgmoment
    is accepted. WSE's real schedule is not public, so a call has none until a beheerder sets it."""

    oproep = models.ForeignKey(
        Oproep,
        verbose_name=_("oproep"),
        on_delete=models.CASCADE,
        related_name="betalingsschijven",
    )
    naam = models.CharField(_("naam"), max_length=SCHIJF_NAAM_MAX, help_text=_("Bv. Voorschot."))
    percentage = models.DecimalField(
        _("percentage van het toegekende jaarbedrag"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(HONDERD)],
    )
    moment = models.CharField(_("wanneer"), max_length=20, choices=Schijfmoment.choices)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    if TYPE_CHECKING:
        oproep_id: int

    class Meta:
        verbose_name = _("betalingsschijf")
        verbose_name_plural = _("betalingsschijven")
        ordering = ("oproep", "volgorde", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(percentage__gt=0) & Q(percentage__lte=100),
                name="betalingsschijf_percentage",
                violation_error_message=_("Een percentage ligt tussen 0 en 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.naam} ({self.percentage}%)"

    def clean(self) -> None:
        """The tranches of a call add up to at most 100% of a year's granted amount."""
        if not self.oproep_id or self.percentage is None:
            return
        andere = (
            Betalingsschijf.objects.filter(oproep_id=self.oproep_id)
            .exclude(pk=self.pk)
            .aggregate(som=models.Sum("percentage"))["som"]
        ) or Decimal(0)
        if andere + self.percentage > HONDERD:
            raise ValidationError(
                {
                    "percentage": _(
                        "De schijven van deze oproep komen zo samen op %(som)s%%; samen zijn ze "
                        "hoogstens 100%%."
                    )
                    % {"som": andere + self.percentage}
                }
            )


class Boeking(models.Model):
    """One row of an aanvraag's ledger: a payment to the regieverband for one year of the grant,
    a correction of an earlier payment, or a repayment by the verband. The amount is stored with
    its sign (payments positive, corrections and repayments negative)."""

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.PROTECT, related_name="boekingen"
    )
    jaar = models.PositiveSmallIntegerField(_("jaar van de toekenning"))
    soort = models.CharField(_("soort"), max_length=20, choices=Boekingssoort.choices)
    datum = models.DateField(_("datum"))
    bedrag = models.DecimalField(_("bedrag (EUR)"), max_digits=12, decimal_places=2)
    referentie = models.CharField(_("referentie"), max_length=REFERENTIE_MAX)
    toelichting = BegrensdeTekst(_("toelichting"), blank=True, limiet=TOELICHTING_MAX)
    schijf = models.ForeignKey(
        Betalingsschijf,
        verbose_name=_("betalingsschijf"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    geboekt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geboekt door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    geboekt_op = models.DateTimeField(_("geboekt op"), default=timezone.now)

    if TYPE_CHECKING:
        aanvraag_id: int
        schijf_id: int | None

    class Meta:
        verbose_name = _("boeking")
        verbose_name_plural = _("boekingen")
        ordering = ("aanvraag", "datum", "geboekt_op", "pk")
        constraints = [
            lengte_beperking("toelichting", TOELICHTING_MAX, "uitvoering_boeking"),
            # The sign follows the kind: a payment adds, a correction or repayment takes back.
            models.CheckConstraint(
                condition=(Q(soort=Boekingssoort.BETALING) & Q(bedrag__gt=0))
                | (~Q(soort=Boekingssoort.BETALING) & Q(bedrag__lt=0)),
                name="boeking_teken_volgt_soort",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag}: {self.get_soort_display()} {self.jaar} {self.bedrag}"


class Herbeslissing(BedragenPerJaar, models.Model):
    """A later decision of WSE on the amounts granted per year (after a change or an unspent
    year). The newest one replaces the decision's amounts in the ledger; the decision itself and
    its letter stay as they were. Where it lowers a year below what was paid, the difference
    becomes a `Terugvordering`."""

    aanvraag = models.ForeignKey(
        Aanvraag,
        verbose_name=_("aanvraag"),
        on_delete=models.PROTECT,
        related_name="herbeslissingen",
    )
    bedragen = models.JSONField(_("toegekend bedrag per jaar"), default=dict)
    motivatie = BegrensdeTekst(_("motivatie"), limiet=BESLISSING_MOTIVATIE_MAX)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslist door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    op = models.DateTimeField(_("beslist op"), default=timezone.now)

    if TYPE_CHECKING:
        aanvraag_id: int

    class Meta:
        verbose_name = _("nieuwe beslissing over de bedragen")
        verbose_name_plural = _("nieuwe beslissingen over de bedragen")
        ordering = ("aanvraag", "op", "pk")
        constraints = [
            lengte_beperking("motivatie", BESLISSING_MOTIVATIE_MAX, "uitvoering_herbeslissing"),
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag}: {self.op:%Y-%m-%d}"


class Terugvordering(models.Model):
    """An amount of one year to recover from the regieverband: more was paid than is granted
    now. It is settled in the ledger by repayments (or corrections) of that year."""

    aanvraag = models.ForeignKey(
        Aanvraag,
        verbose_name=_("aanvraag"),
        on_delete=models.PROTECT,
        related_name="terugvorderingen",
    )
    jaar = models.PositiveSmallIntegerField(_("jaar van de toekenning"))
    bedrag = models.DecimalField(_("terug te vorderen (EUR)"), max_digits=12, decimal_places=2)
    reden = BegrensdeTekst(_("reden"), limiet=TOELICHTING_MAX)
    herbeslissing = models.ForeignKey(
        Herbeslissing,
        verbose_name=_("nieuwe beslissing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="terugvorderingen",
    )
    op = models.DateTimeField(_("vastgesteld op"), default=timezone.now)

    if TYPE_CHECKING:
        aanvraag_id: int

    class Meta:
        verbose_name = _("terugvordering")
        verbose_name_plural = _("terugvorderingen")
        ordering = ("aanvraag", "op", "pk")
        constraints = [
            lengte_beperking("reden", TOELICHTING_MAX, "uitvoering_terugvordering"),
            models.CheckConstraint(condition=Q(bedrag__gt=0), name="terugvordering_positief"),
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag}: {self.jaar} {self.bedrag}"


class Opvolgtermijn(models.Model):
    """A setting of the call: by when the opvolgmoment of one year is due (for example 30 June
    of the next year, when the trekker's jaarrekening is final). A year without one has no
    opvolgmoment: WSE's schedule is not public, so a call has none until a beheerder sets it."""

    oproep = models.ForeignKey(
        Oproep, verbose_name=_("oproep"), on_delete=models.CASCADE, related_name="opvolgtermijnen"
    )
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    uiterlijk = models.DateField(_("uiterlijk in te dienen op"))

    if TYPE_CHECKING:
        oproep_id: int

    class Meta:
        verbose_name = _("opvolgtermijn")
        verbose_name_plural = _("opvolgtermijnen")
        ordering = ("oproep", "jaar")
        constraints = [
            models.UniqueConstraint(
                fields=("oproep", "jaar"),
                name="opvolgtermijn_een_per_jaar",
                violation_error_message=_("Dit jaar heeft al een termijn."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.jaar}: {self.uiterlijk:%d/%m/%Y}"

    def clean(self) -> None:
        if self.oproep_id and self.jaar is not None and self.jaar not in self.oproep.jaren:
            raise ValidationError({"jaar": _("Dit jaar valt buiten de periode van de oproep.")})
        if (
            self.jaar is not None
            and self.uiterlijk is not None
            and self.uiterlijk.year <= self.jaar
        ):
            raise ValidationError(
                {"uiterlijk": _("Het opvolgmoment van een jaar valt na dat jaar.")}
            )


class Opvolgmoment(models.Model):
    """The follow-up of one year of a granted aanvraag: per action of that year how far it got,
    submitted by the regisseur and accepted by a reviewer (or sent back with what is missing)."""

    aanvraag = models.ForeignKey(
        Aanvraag,
        verbose_name=_("aanvraag"),
        on_delete=models.PROTECT,
        related_name="opvolgmomenten",
    )
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    status = models.CharField(
        _("status"), max_length=20, choices=Opvolgstatus.choices, default=Opvolgstatus.IN_OPMAAK
    )
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
    meer_gevraagd = BegrensdeTekst(_("wat WSE meer vraagt"), blank=True, limiet=MEER_GEVRAAGD_MAX)
    # Set by the services on every save of what it says or of its status: for the API's
    # `gewijzigd_sinds` and Last-Modified (the reports of its actions carry no time of their own).
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), default=timezone.now)

    if TYPE_CHECKING:
        aanvraag_id: int
        rapporten: models.Manager[Actierapport]
        bijlagen: models.Manager[Opvolgbijlage]

    class Meta:
        verbose_name = _("opvolgmoment")
        verbose_name_plural = _("opvolgmomenten")
        ordering = ("aanvraag", "jaar")
        constraints = [
            lengte_beperking("meer_gevraagd", MEER_GEVRAAGD_MAX, "uitvoering_opvolgmoment"),
            models.UniqueConstraint(fields=("aanvraag", "jaar"), name="opvolgmoment_een_per_jaar"),
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag}: {self.jaar} ({self.get_status_display()})"


class Actierapport(models.Model):
    """What the opvolgmoment says of one action of its year: how far it got, why, under which
    action of the trekker's BBC meerjarenplan it runs, and whether the priority's reporting code
    (WSE-LR1..4) was applied there."""

    opvolgmoment = models.ForeignKey(
        Opvolgmoment,
        verbose_name=_("opvolgmoment"),
        on_delete=models.CASCADE,
        related_name="rapporten",
    )
    actie = models.ForeignKey(
        Actie, verbose_name=_("actie"), on_delete=models.PROTECT, related_name="+"
    )
    realisatie = models.CharField(
        _("realisatie"), max_length=20, choices=Realisatie.choices, blank=True
    )
    toelichting = BegrensdeTekst(_("toelichting"), blank=True, limiet=REALISATIE_TOELICHTING_MAX)
    bbc_actie = models.CharField(
        _("actie in het BBC-meerjarenplan"), max_length=BBC_ACTIE_MAX, blank=True
    )
    code_toegepast = models.BooleanField(_("rapporteringscode toegepast"), default=False)

    if TYPE_CHECKING:
        actie_id: int

    class Meta:
        verbose_name = _("rapport van een actie")
        verbose_name_plural = _("rapporten van acties")
        ordering = ("opvolgmoment", "actie__prioriteit__volgorde", "actie__volgorde", "actie")
        constraints = [
            lengte_beperking("toelichting", REALISATIE_TOELICHTING_MAX, "uitvoering_actierapport"),
            models.UniqueConstraint(
                fields=("opvolgmoment", "actie"), name="actierapport_een_per_actie"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actie}: {self.get_realisatie_display()}"


class Opvolgwijziging(models.Model):
    """One change of an opvolgmoment's status, with who, when and (when WSE asks more) why."""

    opvolgmoment = models.ForeignKey(
        Opvolgmoment,
        verbose_name=_("opvolgmoment"),
        on_delete=models.CASCADE,
        related_name="wijzigingen",
    )
    van = models.CharField(_("van"), max_length=20, choices=Opvolgstatus.choices)
    naar = models.CharField(_("naar"), max_length=20, choices=Opvolgstatus.choices)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    op = models.DateTimeField(_("op"))
    reden = BegrensdeTekst(_("reden"), blank=True, limiet=MEER_GEVRAAGD_MAX)

    class Meta:
        verbose_name = _("statuswijziging van een opvolgmoment")
        verbose_name_plural = _("statuswijzigingen van opvolgmomenten")
        ordering = ("opvolgmoment", "op", "pk")
        constraints = [
            lengte_beperking("reden", MEER_GEVRAAGD_MAX, "uitvoering_opvolgwijziging"),
        ]

    def __str__(self) -> str:
        return f"{self.opvolgmoment}: {self.van} -> {self.naar}"


def opvolgbijlage_path(instance: Opvolgbijlage, filename: str) -> str:
    # As an aanvraag's attachments (`aanvragen.models.bijlage_path`): the stored name never uses
    # the uploaded name; its own folder, so that removing one never touches an aanvraag's file.
    moment = instance.opvolgmoment
    return f"opvolging/{moment.aanvraag_id}/{moment.jaar}/{instance.sha256}.pdf"


class Opvolgbijlage(models.Model):
    """An attachment (PDF) that the call asks with an opvolgmoment (`BijlageType` of the call
    with `voor` = opvolgmoment). Checked, stored privately and served as an aanvraag's
    attachments are: the same upload check, size limit and storage."""

    opvolgmoment = models.ForeignKey(
        Opvolgmoment,
        verbose_name=_("opvolgmoment"),
        on_delete=models.PROTECT,
        related_name="bijlagen",
    )
    bijlagetype = models.ForeignKey(
        BijlageType, verbose_name=_("soort bijlage"), on_delete=models.PROTECT, related_name="+"
    )
    bestand = models.FileField(_("bestand"), upload_to=opvolgbijlage_path, max_length=300)
    naam = models.CharField(_("bestandsnaam"), max_length=255)
    grootte = models.PositiveIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    opgeladen_op = models.DateTimeField(_("opgeladen op"), default=timezone.now)
    opgeladen_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgeladen door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    if TYPE_CHECKING:
        opvolgmoment_id: int
        bijlagetype_id: int

    class Meta:
        verbose_name = _("bijlage bij een opvolgmoment")
        verbose_name_plural = _("bijlagen bij opvolgmomenten")
        ordering = ("opvolgmoment", "bijlagetype__volgorde", "opgeladen_op", "pk")

    def __str__(self) -> str:
        return self.naam


class Opvolgherinnering(models.Model):
    """A reminder sent for one year's opvolgmoment; the unique triple makes each go out once."""

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="+"
    )
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    moment = models.CharField(_("moment"), max_length=10, choices=Opvolgherinneringsmoment.choices)
    verstuurd_op = models.DateTimeField(_("verstuurd op"), default=timezone.now)

    class Meta:
        verbose_name = _("herinnering voor een opvolgmoment")
        verbose_name_plural = _("herinneringen voor opvolgmomenten")
        constraints = [
            models.UniqueConstraint(
                fields=("aanvraag", "jaar", "moment"), name="opvolgherinnering_een_per_moment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag} {self.jaar} {self.moment}"


class Afsluiting(models.Model):
    """The closing of a granted aanvraag's dossier: every opvolgmoment accepted and the ledger
    settled, closed by a reviewer or a beheerder. While it is not reopened the dossier is
    read-only (`permissions.is_afgesloten`). A beheerder may reopen it, with a reason, until
    the retention command touched it; the row stays, and a later closing is a new row. Its
    retention runs from `afgesloten_op`: the run of `dossiers_anonimiseren` notes here when it
    anonymised the dossier's personal data and when it deleted its sealed PDFs."""

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.PROTECT, related_name="afsluitingen"
    )
    afgesloten_op = models.DateTimeField(_("afgesloten op"), default=timezone.now)
    afgesloten_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afgesloten door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    heropend_op = models.DateTimeField(_("heropend op"), null=True, blank=True)
    heropend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("heropend door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    heropen_reden = BegrensdeTekst(_("reden van heropenen"), blank=True, limiet=HEROPEN_REDEN_MAX)
    geanonimiseerd_op = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    pdfs_verwijderd_op = models.DateTimeField(
        _("verzegelde PDF's verwijderd op"), null=True, blank=True
    )

    if TYPE_CHECKING:
        aanvraag_id: int

    class Meta:
        verbose_name = _("afsluiting van een dossier")
        verbose_name_plural = _("afsluitingen van dossiers")
        ordering = ("-afgesloten_op", "pk")
        constraints = [
            lengte_beperking("heropen_reden", HEROPEN_REDEN_MAX, "uitvoering_afsluiting"),
            # At most one closing in force per dossier: the others were reopened.
            models.UniqueConstraint(
                fields=("aanvraag",),
                condition=Q(heropend_op__isnull=True),
                name="afsluiting_een_geldende_per_aanvraag",
            ),
            # Reopened with who and why, or not at all.
            models.CheckConstraint(
                condition=Q(heropend_op__isnull=True, heropend_door__isnull=True, heropen_reden="")
                | (
                    Q(heropend_op__isnull=False, heropend_door__isnull=False) & ~Q(heropen_reden="")
                ),
                name="afsluiting_heropend_met_wie_en_waarom",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag}: {self.afgesloten_op:%Y-%m-%d}"


# The changes to the plan live in a module of their own; imported here so that Django finds them
# and the rest of the portal imports every model of the uitvoering from one place.
from applications.uitvoering.models.planwijziging import (  # noqa: E402, F401
    Actiewijziging,
    Ledenwijziging,
    Planwijziging,
    Planwijzigingstap,
)
