"""The aanvraag of one regieverband for one call, its actions (the meerjarenplan), attachments,
sealed submissions, deadline extensions, status history and reminders sent."""

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
    CONTACT_REGEL_MAX,
    OMGEVINGSANALYSE_MAX,
    REDEN_MAX,
    STATUSWIJZIGING_REDEN_MAX,
    VISIE_MAX,
    Herinneringsmoment,
)
from applications.aanvragen.statuses import AanvraagStatus
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.core.teksten import BegrensdeTekst, lengte_beperking
from applications.oproepen.models import Beleidsprioriteit, BijlageType, Oproep


class Aanvraag(models.Model):
    """One regieverband's application for one call. One per verband per call (database rule).

    `versie` counts saves of the content: a save based on an older version is refused
    (optimistic locking, see `services.aanvraag_update`).
    """

    regieverband = models.ForeignKey(
        Regieverband,
        verbose_name=_("regieverband"),
        on_delete=models.PROTECT,
        related_name="aanvragen",
    )
    oproep = models.ForeignKey(
        Oproep, verbose_name=_("oproep"), on_delete=models.PROTECT, related_name="aanvragen"
    )
    status = models.CharField(
        _("status"), max_length=25, choices=AanvraagStatus.choices, default=AanvraagStatus.CONCEPT
    )
    versie = models.PositiveIntegerField(_("versie"), default=1)
    # Raised by the database itself on every write of this row, its actions and attachments,
    # whoever writes (the triggers of `versietellers`): with `Referentieversie` the key of what is
    # kept of the aanvraag (`completeness.bewaarde_completeness`, the meerjarenplan's matrix).
    # `versie` is no such key: it counts only the saves of the texts, for optimistic locking.
    inhoudsversie = models.PositiveBigIntegerField(_("inhoudsversie"), default=0, editable=False)
    contact_naam = models.CharField(_("contactpersoon"), max_length=CONTACT_REGEL_MAX, blank=True)
    contact_functie = models.CharField(
        _("functie contactpersoon"), max_length=CONTACT_REGEL_MAX, blank=True
    )
    contact_email = models.EmailField(_("e-mailadres contactpersoon"), blank=True)
    contact_telefoon = models.CharField(_("telefoon contactpersoon"), max_length=50, blank=True)
    omgevingsanalyse = BegrensdeTekst(
        _("omgevingsanalyse"), blank=True, limiet=OMGEVINGSANALYSE_MAX
    )
    visie = BegrensdeTekst(_("visie en beleidsplanning"), blank=True, limiet=VISIE_MAX)
    ingediend_op = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    ingediend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingediend door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    behandelaar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dossierbehandelaar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("De WSE-beoordelaar die de aanvraag leidt."),
    )
    wijzigingen_tot = models.DateTimeField(
        _("wijzigingen indienen tot en met"),
        null=True,
        blank=True,
        help_text=_("Bij 'wijzigingen gevraagd': tot wanneer de regisseurs kunnen aanpassen."),
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gewijzigd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    if TYPE_CHECKING:
        acties: models.Manager[Actie]
        bijlagen: models.Manager[Bijlage]
        verlengingen: models.Manager[Verlenging]
        indieningen: models.Manager[Indiening]
        herinneringen: models.Manager[Herinnering]
        behandelaar_id: int | None
        statuswijzigingen: models.Manager[Statuswijziging]
        regieverband_id: int
        oproep_id: int

    class Meta:
        verbose_name = _("aanvraag")
        verbose_name_plural = _("aanvragen")
        ordering = ("oproep", "regieverband__naam")
        constraints = [
            lengte_beperking("visie", VISIE_MAX, "aanvragen_aanvraag"),
            lengte_beperking("omgevingsanalyse", OMGEVINGSANALYSE_MAX, "aanvragen_aanvraag"),
            models.UniqueConstraint(
                fields=("regieverband", "oproep"),
                name="aanvraag_een_per_verband_per_oproep",
                violation_error_message=_(
                    "Dit regieverband heeft al een aanvraag voor deze oproep."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regieverband.naam} - {self.oproep.naam}"

    @property
    def referentie(self) -> str:
        """The reference number printed on every page: call slug and a zero-padded id."""
        return f"RR-{self.oproep.slug}-{self.pk:04d}"


class Actie(models.Model):
    """One action of the meerjarenplan: one priority, one year of the call's period."""

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="acties"
    )
    prioriteit = models.ForeignKey(
        Beleidsprioriteit,
        verbose_name=_("beleidsprioriteit"),
        on_delete=models.PROTECT,
        related_name="acties",
    )
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    titel = models.CharField(_("titel"), max_length=ACTIE_TITEL_MAX)
    beschrijving = BegrensdeTekst(_("beschrijving"), blank=True, limiet=ACTIE_BESCHRIJVING_MAX)
    doelgroep = models.CharField(_("doelgroep"), max_length=ACTIE_REGEL_MAX, blank=True)
    verwacht_resultaat = BegrensdeTekst(
        _("verwacht resultaat"), blank=True, limiet=ACTIE_RESULTAAT_MAX
    )
    indicator = models.CharField(_("indicator"), max_length=ACTIE_REGEL_MAX, blank=True)
    partners = models.CharField(
        _("partners"),
        max_length=ACTIE_REGEL_MAX,
        blank=True,
        help_text=_("Bv. VDAB, OCMW, maatwerkbedrijf."),
    )
    budget = models.DecimalField(
        _("budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    volgorde = models.PositiveIntegerField(_("volgorde"), default=0)
    versie = models.PositiveIntegerField(_("versie"), default=1)

    class Meta:
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        ordering = ("prioriteit__volgorde", "jaar", "volgorde", "pk")
        constraints = [
            lengte_beperking("verwacht_resultaat", ACTIE_RESULTAAT_MAX, "aanvragen_actie"),
            lengte_beperking("beschrijving", ACTIE_BESCHRIJVING_MAX, "aanvragen_actie"),
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="actie_budget_niet_negatief",
                violation_error_message=_("Het budget kan niet negatief zijn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jaar} {self.titel}"


def bijlage_path(instance: Bijlage, filename: str) -> str:
    # The stored name never uses the uploaded name: no path tricks can reach the file system.
    return f"bijlagen/{instance.aanvraag_id}/{instance.sha256}.pdf"


class Bijlage(models.Model):
    """An attachment (PDF) of an aanvraag, stored privately and served only through a view."""

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="bijlagen"
    )
    bijlagetype = models.ForeignKey(
        BijlageType,
        verbose_name=_("soort bijlage"),
        on_delete=models.PROTECT,
        related_name="bijlagen",
    )
    bestuur = models.ForeignKey(
        LokaalBestuur,
        verbose_name=_("voor lid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    bestand = models.FileField(_("bestand"), upload_to=bijlage_path, max_length=300)
    naam = models.CharField(_("bestandsnaam"), max_length=255)
    grootte = models.PositiveIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    opgeladen_op = models.DateTimeField(_("opgeladen op"), auto_now_add=True)
    opgeladen_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgeladen door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    if TYPE_CHECKING:
        aanvraag_id: int

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ("bijlagetype__volgorde", "bestuur__naam", "opgeladen_op")

    def __str__(self) -> str:
        return self.naam


def indiening_path(instance: Indiening, filename: str) -> str:
    return f"indieningen/{instance.aanvraag_id}/{instance.nummer}-{instance.pdf_sha256}.pdf"


class Indiening(models.Model):
    """One submission of an aanvraag, sealed in two steps.

    1. At submission, in the transaction that changes the status: `inhoud`, the snapshot of
       everything sent (`momentopname.aanvraag_inhoud` plus who, when, which version and the
       mandate), `inhoud_sha256`, the SHA-256 of that snapshot in canonical JSON (UTF-8, keys
       sorted, separators "," and ":", no spaces, non-ASCII as is; amounts as strings such as
       "1000.50", moments as ISO 8601 in UTC; no floats; see `momentopname.canonieke_json`), and
       `ingediend_op`. This is the legal proof of what was submitted and when; it never waits for
       the worker.
    2. The worker prints the PDF from that snapshot (not from the aanvraag, which may change
       later), with the snapshot's hash in it, and stores it once with its own SHA-256 and size.
       Until then `pdf`, `pdf_sha256` and `pdf_grootte` are empty ("wordt verzegeld"); a failed
       render is tried again later (`pdf_pogingen`, `pdf_laatste_fout`,
       `pdf_volgende_poging`). Once stored, the PDF never changes: every download serves these
       bytes.

    A resubmission after changes adds a new Indiening with the next number; earlier ones are
    kept. Versions are compared on `inhoud`, without reading PDFs.
    """

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.PROTECT, related_name="indieningen"
    )
    nummer = models.PositiveSmallIntegerField(_("versie"))
    ingediend_op = models.DateTimeField(_("ingediend op"))
    ingediend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingediend door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    inhoud = models.JSONField(_("ingediende inhoud"), default=dict, editable=False)
    inhoud_sha256 = models.CharField(
        _("SHA-256 van de ingediende inhoud"), max_length=64, db_index=True, editable=False
    )
    # The sentence the regisseur confirmed at submission, word for word: acting with the mandate
    # of the trekker's board. Empty for submissions made before the portal asked it.
    mandaat = models.TextField(_("bevestiging van het mandaat"), blank=True, editable=False)
    # The number of the change to the plan that this version seals (approved by WSE during the
    # uitvoering, `submission.aanvraag_seal`), or None for a version the regisseurs submitted.
    # The snapshot says it too; kept here so that a list of versions need not read snapshots.
    wijzigingsnummer = models.PositiveSmallIntegerField(
        _("wijziging van het plan"), null=True, blank=True, editable=False
    )
    pdf = models.FileField(_("PDF"), upload_to=indiening_path, max_length=300, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 van de PDF"), max_length=64, db_index=True, blank=True)
    pdf_grootte = models.PositiveIntegerField(_("grootte (bytes)"), null=True, blank=True)
    pdf_gemaakt_op = models.DateTimeField(_("PDF gemaakt op"), null=True, blank=True)
    pdf_pogingen = models.PositiveSmallIntegerField(_("pogingen om de PDF te maken"), default=0)
    pdf_volgende_poging = models.DateTimeField(
        _("volgende poging om de PDF te maken"), null=True, blank=True
    )
    pdf_laatste_fout = models.CharField(
        _("laatste fout bij het maken van de PDF"), max_length=500, blank=True
    )
    # After the archive period of its closed dossier the sealed PDF is deleted whole (never
    # edited): the file goes, this row keeps its SHA-256 and size, and this date says when.
    pdf_verwijderd_op = models.DateTimeField(
        _("PDF verwijderd op"), null=True, blank=True, editable=False
    )
    # When the personal data in `inhoud` (contact person, who submitted) was replaced, after
    # both the retention and the archive period of the dossier: `inhoud_sha256` stays as it
    # was sealed, so the snapshot no longer matches it from then on.
    inhoud_geanonimiseerd_op = models.DateTimeField(
        _("ingediende inhoud geanonimiseerd op"), null=True, blank=True, editable=False
    )

    if TYPE_CHECKING:
        aanvraag_id: int

    class Meta:
        verbose_name = _("indiening")
        verbose_name_plural = _("indieningen")
        ordering = ("aanvraag", "nummer")
        constraints = [
            models.UniqueConstraint(
                fields=("aanvraag", "nummer"), name="indiening_nummer_uniek_per_aanvraag"
            ),
            # The snapshot's hash is the proof: never a submission without it.
            models.CheckConstraint(
                condition=Q(inhoud_sha256__regex=r"^[0-9a-f]{64}$"),
                name="indiening_inhoud_sha256_gezet",
            ),
            # A PDF is there with its hash and size, or none of the three is, or it was
            # deleted after its archive period and its hash and size stay.
            models.CheckConstraint(
                condition=(
                    Q(pdf="", pdf_sha256="", pdf_grootte__isnull=True, pdf_verwijderd_op=None)
                    | (
                        ~Q(pdf="")
                        & ~Q(pdf_sha256="")
                        & Q(pdf_grootte__isnull=False, pdf_verwijderd_op=None)
                    )
                    | (
                        Q(pdf="")
                        & ~Q(pdf_sha256="")
                        & Q(pdf_grootte__isnull=False, pdf_verwijderd_op__isnull=False)
                    )
                ),
                name="indiening_pdf_met_hash_en_grootte",
            ),
        ]
        indexes = [
            models.Index(
                fields=["pdf_volgende_poging"],
                condition=Q(pdf_sha256=""),
                name="indiening_pdf_wachtend",
            )
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag} v{self.nummer}"

    @property
    def pdf_klaar(self) -> bool:
        """Whether the sealed PDF was made (otherwise it "wordt verzegeld"). It may since have
        been deleted after its archive period (`pdf_verwijderd`)."""
        return bool(self.pdf_sha256)

    @property
    def pdf_verwijderd(self) -> bool:
        """Whether the sealed PDF was deleted after its archive period (its hash stays)."""
        return self.pdf_verwijderd_op is not None

    @property
    def pdf_beschikbaar(self) -> bool:
        """Whether the sealed PDF can be downloaded: made and not deleted."""
        return self.pdf_klaar and not self.pdf_verwijderd


class Verlenging(models.Model):
    """WSE's extension of the deadline for one aanvraag: until when and why."""

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="verlengingen"
    )
    tot = models.DateTimeField(_("verlengd tot en met"))
    reden = BegrensdeTekst(_("reden"), limiet=REDEN_MAX)
    toegekend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("toegekend door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    toegekend_op = models.DateTimeField(_("toegekend op"), default=timezone.now)

    class Meta:
        constraints = [lengte_beperking("reden", REDEN_MAX, "aanvragen_verlenging")]
        verbose_name = _("verlenging")
        verbose_name_plural = _("verlengingen")
        ordering = ("-tot",)

    def __str__(self) -> str:
        return f"{self.aanvraag} tot {self.tot:%Y-%m-%d %H:%M}"


class Statuswijziging(models.Model):
    """One row of an aanvraag's history: who changed the status, when, from what, to what, why."""

    aanvraag = models.ForeignKey(
        Aanvraag,
        verbose_name=_("aanvraag"),
        on_delete=models.CASCADE,
        related_name="statuswijzigingen",
    )
    van = models.CharField(_("van"), max_length=25, choices=AanvraagStatus.choices)
    naar = models.CharField(_("naar"), max_length=25, choices=AanvraagStatus.choices)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    op = models.DateTimeField(_("op"), default=timezone.now)
    reden = BegrensdeTekst(_("reden"), blank=True, limiet=STATUSWIJZIGING_REDEN_MAX)

    class Meta:
        constraints = [
            lengte_beperking("reden", STATUSWIJZIGING_REDEN_MAX, "aanvragen_statuswijziging")
        ]
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ("op", "pk")

    def __str__(self) -> str:
        return f"{self.van} → {self.naar}"


class Herinnering(models.Model):
    """A deadline reminder sent for a draft; the unique pair makes each one go out once."""

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="herinneringen"
    )
    moment = models.CharField(_("moment"), max_length=3, choices=Herinneringsmoment.choices)
    verstuurd_op = models.DateTimeField(_("verstuurd op"), default=timezone.now)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=("aanvraag", "moment"), name="herinnering_een_per_moment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag} {self.moment}"


class ConceptPdf(models.Model):
    """The last draft PDF made of an aanvraag, shared by every server through the database.

    `sleutel` is the SHA-256 of everything the PDF shows (`concept_pdf.sleutel`): while it is the
    same, the stored bytes are handed out instead of making the PDF again.
    """

    aanvraag = models.OneToOneField(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="concept_pdf"
    )
    sleutel = models.CharField(_("sleutel"), max_length=64)
    inhoud = models.BinaryField(_("inhoud"))
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("concept-PDF")
        verbose_name_plural = _("concept-PDF's")

    def __str__(self) -> str:
        return f"{self.aanvraag} ({self.aangemaakt_op:%Y-%m-%d %H:%M})"


class Referentieversie(models.Model):
    """One row whose `waarde` the database raises on every write of what an aanvraag's
    completeness reads besides the aanvraag itself: calls, priorities, attachment types, besturen,
    population, verbanden and memberships, and aanvragen made, withdrawn or removed (they decide
    overlaps). Raised by triggers (`versietellers`), so a write from anywhere counts: beheer, a
    command, an import, a merger. Never written by the application."""

    waarde = models.PositiveBigIntegerField(_("waarde"), default=0)

    class Meta:
        verbose_name = _("referentieversie")
        verbose_name_plural = _("referentieversies")

    def __str__(self) -> str:
        return str(self.waarde)
