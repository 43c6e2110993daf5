"""A call (oproep) for one period: deadline, budget, rules, its beleidsprioriteiten and the
attachments it asks for."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from applications.core.teksten import BegrensdeTekst, lengte_beperking
from applications.oproepen.constants import (
    BESCHRIJVING_MAX,
    BEZWAAR_BIJ_MAX,
    OPMERKING_MAX,
    SCOREANKER_MAX,
    VOORWAARDEN_MAX,
    Bijlagemoment,
    OproepStatus,
    Subsidieformule,
)


class Oproep(models.Model):
    """A call for applications for one period, with its deadline, budget and rules."""

    naam = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("korte naam"), max_length=50, unique=True)
    eerste_jaar = models.PositiveSmallIntegerField(_("eerste jaar"))
    laatste_jaar = models.PositiveSmallIntegerField(_("laatste jaar"))
    deadline = models.DateTimeField(
        _("uiterste indiening"),
        help_text=_("Tijdstip in Brusselse tijd; indienen kan tot en met deze seconde."),
    )
    jaarbudget = models.DecimalField(
        _("budget per jaar (EUR)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OproepStatus.choices, default=OproepStatus.CONCEPT
    )
    beschrijving = BegrensdeTekst(_("beschrijving"), blank=True, limiet=BESCHRIJVING_MAX)
    # Rule settings: what DOMAIN.md knows for one call and not for another is set per call.
    min_acties_per_prioriteit_per_jaar = models.PositiveSmallIntegerField(
        _("minimum acties per prioriteit per jaar"), default=1
    )
    min_inwoners = models.PositiveIntegerField(
        _("minimum inwoners per regieverband"),
        null=True,
        blank=True,
        help_text=_("Leeg wanneer de oproep geen minimum kent of het onbekend is."),
    )
    centrumstad_mag_alleen = models.BooleanField(
        _("centrumstad mag alleen indienen"),
        default=True,
        help_text=_("Een centrumstad alleen hoeft het minimum aantal inwoners niet te halen."),
    )
    een_verband_per_bestuur = models.BooleanField(
        _("een bestuur in hoogstens één regieverband"),
        default=True,
        help_text=_("Waarschuw wanneer een bestuur in twee aanvragen van deze oproep zit."),
    )
    score_min = models.PositiveSmallIntegerField(
        _("laagste score"),
        default=1,
        help_text=_("De scores per beleidsprioriteit lopen van de laagste tot de hoogste score."),
    )
    score_max = models.PositiveSmallIntegerField(_("hoogste score"), default=5)
    vier_ogen = models.BooleanField(
        _("vier-ogenprincipe"),
        default=False,
        help_text=_(
            "Een beslissing is pas definitief wanneer een tweede beoordelaar, niet wie ze "
            "voorstelde, ze bevestigt."
        ),
    )
    beslissingen_gepubliceerd = models.BooleanField(
        _("beslissingen gepubliceerd"),
        default=False,
        help_text=_(
            "Toon de toegekende subsidies van deze oproep als open data en op de publieke "
            "dekkingspagina (/open-data/), zonder aanmelden."
        ),
    )
    # Whether the regisseurs write a report of each year (the opvolgmoment) or WSE checks the
    # BBC data itself: the rules known for 2023-2025 ask no separate yearly report (DOMAIN.md),
    # but a call may. On by default, so that a call asks a report until a beheerder says not.
    aparte_rapportering = models.BooleanField(
        _("apart rapport per jaar"),
        default=True,
        help_text=_(
            "Aan: de regisseurs vullen het opvolgmoment van elk jaar in en dienen het in. Uit: "
            "het opvolgmoment is de eigen controle van WSE op de BBC-gegevens; een beoordelaar "
            "vult het in en aanvaardt het, de regisseurs zien het alleen en krijgen geen "
            "herinneringen."
        ),
    )
    # How long a closed dossier keeps its personal data and its sealed PDFs: not public (the
    # archive rules of WSE are not known to us, DOMAIN.md), so empty until a beheerder sets them;
    # while empty, `dossiers_anonimiseren` changes nothing of this call's dossiers.
    bewaartermijn_jaren = models.PositiveSmallIntegerField(
        _("bewaartermijn persoonsgegevens (jaren na afsluiting)"),
        null=True,
        blank=True,
        help_text=_(
            "Zoveel jaar na de afsluiting van een dossier worden de contactpersonen en de "
            "gegevens van vertrokken gebruikers geanonimiseerd. Leeg: niet ingesteld, er wordt "
            "niets geanonimiseerd."
        ),
    )
    archieftermijn_jaren = models.PositiveSmallIntegerField(
        _("archieftermijn verzegelde PDF's (jaren na afsluiting)"),
        null=True,
        blank=True,
        help_text=_(
            "Zoveel jaar na de afsluiting van een dossier worden de verzegelde PDF's (ingediende "
            "versies en beslissingsbrief) in hun geheel verwijderd; hun SHA-256 blijft. Leeg: "
            "niet ingesteld, er wordt niets verwijderd."
        ),
    )
    subsidieformule = models.CharField(
        _("subsidieformule"),
        max_length=30,
        choices=Subsidieformule.choices,
        default=Subsidieformule.ONBEKEND,
    )
    # What every decision letter of the call says besides the decision itself. Not public for the
    # known calls: a beheerder fills them in; the decision form warns while they are empty.
    voorwaarden = BegrensdeTekst(
        _("voorwaarden in de beslissingsbrief"),
        blank=True,
        limiet=VOORWAARDEN_MAX,
        help_text=_("De voorwaarden die elke beslissingsbrief van deze oproep vermeldt."),
    )
    bezwaar_termijn_dagen = models.PositiveSmallIntegerField(
        _("bezwaartermijn (dagen)"),
        null=True,
        blank=True,
        help_text=_("Binnen hoeveel dagen na ontvangst van de brief bezwaar kan."),
    )
    bezwaar_bij = models.CharField(
        _("bezwaar indienen bij"),
        max_length=BEZWAAR_BIJ_MAX,
        blank=True,
        help_text=_("Bij wie en hoe, bv. een dienst met haar adres of e-mailadres."),
    )
    opmerking = BegrensdeTekst(
        _("opmerking"),
        blank=True,
        help_text=_("Bv. welke gegevens van deze oproep onzeker zijn."),
        limiet=OPMERKING_MAX,
    )

    if TYPE_CHECKING:
        prioriteiten: models.Manager[Beleidsprioriteit]
        bijlagetypes: models.Manager[BijlageType]

    class Meta:
        verbose_name = _("oproep")
        verbose_name_plural = _("oproepen")
        ordering = ("-eerste_jaar", "naam")
        constraints = [
            lengte_beperking("opmerking", OPMERKING_MAX, "oproepen_oproep"),
            lengte_beperking("voorwaarden", VOORWAARDEN_MAX, "oproepen_oproep"),
            lengte_beperking("beschrijving", BESCHRIJVING_MAX, "oproepen_oproep"),
            models.CheckConstraint(
                condition=Q(laatste_jaar__gte=models.F("eerste_jaar")),
                name="oproep_periode_volgorde",
                violation_error_message=_("Het laatste jaar ligt voor het eerste jaar."),
            ),
            models.CheckConstraint(
                condition=Q(jaarbudget__gte=0),
                name="oproep_budget_niet_negatief",
                violation_error_message=_("Het budget kan niet negatief zijn."),
            ),
            models.CheckConstraint(
                condition=Q(score_max__gt=F("score_min")),
                name="oproep_scoreschaal",
                violation_error_message=_("De hoogste score moet boven de laagste liggen."),
            ),
        ]

    def __str__(self) -> str:
        return self.naam

    def clean(self) -> None:
        """A new scale keeps the score anchors a beheerder wrote: it refuses to leave any out."""
        if self.pk is None or self.score_min is None or self.score_max is None:
            return
        buiten = sorted(
            set(
                Scoreanker.objects.filter(prioriteit__oproep=self)
                .exclude(score__range=(self.score_min, self.score_max))
                .values_list("score", flat=True)
            )
        )
        if buiten:
            raise ValidationError(
                {
                    "score_max": _(
                        "Er zijn scoreankers voor score %(scores)s; pas die eerst aan of "
                        "verwijder ze."
                    )
                    % {"scores": ", ".join(str(s) for s in buiten)}
                }
            )

    def buiten_schaal(self, score: int) -> str | None:
        """Why a score does not fit the call's scale (a message), or None when it fits."""
        if self.score_min <= score <= self.score_max:
            return None
        return _("De scores van deze oproep lopen van %(min)s tot %(max)s.") % {
            "min": self.score_min,
            "max": self.score_max,
        }

    @property
    def jaren(self) -> list[int]:
        return list(range(self.eerste_jaar, self.laatste_jaar + 1))

    @property
    def totaal_budget(self) -> Decimal:
        return self.jaarbudget * len(self.jaren)

    def aanvraag_bijlagetypes(self) -> models.QuerySet[BijlageType]:
        """The attachments the call asks with the aanvraag (not those of an opvolgmoment)."""
        return self.bijlagetypes.filter(voor=Bijlagemoment.AANVRAAG)

    def opvolg_bijlagetypes(self) -> models.QuerySet[BijlageType]:
        """The attachments the call asks with each year's opvolgmoment."""
        return self.bijlagetypes.filter(voor=Bijlagemoment.OPVOLGMOMENT)

    @property
    def peildatum(self) -> datetime.date:
        """The day on which membership counts for this call: the first day of its period."""
        return datetime.date(self.eerste_jaar, 1, 1)


class Beleidsprioriteit(models.Model):
    """One of a call's policy priorities, with its external reporting code (e.g. WSE-LR1)."""

    oproep = models.ForeignKey(
        Oproep, verbose_name=_("oproep"), on_delete=models.CASCADE, related_name="prioriteiten"
    )
    code = models.CharField(_("rapporteringscode"), max_length=20)
    titel = models.CharField(_("titel"), max_length=300)
    beschrijving = BegrensdeTekst(_("beschrijving"), blank=True, limiet=BESCHRIJVING_MAX)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("beleidsprioriteit")
        verbose_name_plural = _("beleidsprioriteiten")
        ordering = ("oproep", "volgorde", "code")
        constraints = [
            lengte_beperking("beschrijving", BESCHRIJVING_MAX, "oproepen_beleidsprioriteit"),
            models.UniqueConstraint(
                fields=("oproep", "code"),
                name="prioriteit_code_uniek_per_oproep",
                violation_error_message=_("Deze code bestaat al in deze oproep."),
            ),
        ]

    if TYPE_CHECKING:
        ankers: models.Manager[Scoreanker]

    def __str__(self) -> str:
        return f"{self.code} {self.titel}"


class Scoreanker(models.Model):
    """What one point of the call's score scale means for one priority ("4: de acties dekken de
    prioriteit in elk jaar, met indicatoren"): reviewers score against the same words."""

    prioriteit = models.ForeignKey(
        Beleidsprioriteit,
        verbose_name=_("beleidsprioriteit"),
        on_delete=models.CASCADE,
        related_name="ankers",
    )
    score = models.PositiveSmallIntegerField(_("score"))
    betekenis = models.CharField(_("betekenis"), max_length=SCOREANKER_MAX)

    if TYPE_CHECKING:
        prioriteit_id: int

    class Meta:
        verbose_name = _("scoreanker")
        verbose_name_plural = _("scoreankers")
        ordering = ("prioriteit", "score")
        constraints = [
            models.UniqueConstraint(
                fields=("prioriteit", "score"),
                name="scoreanker_een_per_score",
                violation_error_message=_("Deze score heeft al een betekenis."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}: {self.betekenis}"

    def clean(self) -> None:
        fout = self.prioriteit.oproep.buiten_schaal(self.score) if self.prioriteit_id else None
        if fout:
            raise ValidationError({"score": fout})


class BijlageType(models.Model):
    """An attachment that a call requires (a setting of the call, since it differs per call)."""

    oproep = models.ForeignKey(
        Oproep, verbose_name=_("oproep"), on_delete=models.CASCADE, related_name="bijlagetypes"
    )
    code = models.SlugField(_("code"), max_length=40)
    naam = models.CharField(_("naam"), max_length=200)
    beschrijving = BegrensdeTekst(_("beschrijving"), blank=True, limiet=BESCHRIJVING_MAX)
    per_lid = models.BooleanField(
        _("één per lid"),
        default=False,
        help_text=_("Vereist voor elk lid van het regieverband (bv. een raadsbeslissing)."),
    )
    verplicht = models.BooleanField(_("verplicht"), default=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    voor = models.CharField(
        _("gevraagd"),
        max_length=20,
        choices=Bijlagemoment.choices,
        default=Bijlagemoment.AANVRAAG,
        help_text=_(
            "Bij de aanvraag, of bij het opvolgmoment van elk jaar (bv. de jaarrekening van de "
            "trekker). Een verplichte bijlage houdt het indienen tegen tot ze er is."
        ),
    )

    class Meta:
        verbose_name = _("bijlagetype")
        verbose_name_plural = _("bijlagetypes")
        ordering = ("oproep", "volgorde", "naam")
        constraints = [
            lengte_beperking("beschrijving", BESCHRIJVING_MAX, "oproepen_bijlagetype"),
            models.UniqueConstraint(fields=("oproep", "code"), name="bijlagetype_code_uniek"),
        ]

    def __str__(self) -> str:
        return self.naam

    def clean(self) -> None:
        """An opvolgmoment is the verband's, not one member's: one attachment of each kind."""
        if self.voor == Bijlagemoment.OPVOLGMOMENT and self.per_lid:
            raise ValidationError(
                {"per_lid": _("Een bijlage bij het opvolgmoment is er één voor het regieverband.")}
            )
