"""The domain of the regierol portal: besturen, regieverbanden, calls and their aanvragen.

Domain nouns are Dutch, as the users say them. Business rules live in `services.py`; these classes
hold data, database constraints and small derived properties.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import (
    AanvraagStatus,
    Advies,
    Herinneringsmoment,
    OproepStatus,
    Provincie,
    Rechtsvorm,
    Rol,
    Subsidieformule,
)

nis_code_validator = RegexValidator(
    regex=r"^[1-9][0-9]{4}$",
    message=_("Een NIS-code bestaat uit precies 5 cijfers en begint niet met 0, bv. 71072."),
    code="invalid_nis_code",
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using the portal; logs in with an e-mail address. The role is a group (`Rol`)."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    first_name = models.CharField(_("voornaam"), max_length=150, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("toegang tot beheer"),
        default=False,
        help_text=_("Beheerders krijgen dit automatisch; anderen hebben het niet nodig."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    if TYPE_CHECKING:
        regieverbanden: models.Manager[Regieverband]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ("email",)

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def role_names(self) -> frozenset[str]:
        """The names of this user's role groups, read once per request object."""
        cached: frozenset[str] | None = getattr(self, "_role_names", None)
        if cached is None:
            cached = (
                frozenset(self.groups.values_list("name", flat=True)) if self.pk else frozenset()
            )
            self._role_names = cached
        return cached

    def has_role(self, rol: Rol) -> bool:
        return self.is_active and rol.value in self.role_names

    @property
    def is_regisseur(self) -> bool:
        return self.has_role(Rol.REGISSEUR)

    @property
    def is_beoordelaar(self) -> bool:
        return self.has_role(Rol.BEOORDELAAR)

    @property
    def is_beheerder(self) -> bool:
        return self.has_role(Rol.BEHEERDER) or (self.is_active and self.is_superuser)


class LokaalBestuur(models.Model):
    """A municipality with its OCMW, identified by its NIS code for a period of validity.

    Mergers (1 January 2025) end a bestuur and name its successor; names are never keys.
    """

    nis_code = models.CharField(
        _("NIS-code"), max_length=5, unique=True, validators=[nis_code_validator]
    )
    naam = models.CharField(_("naam"), max_length=100)
    provincie = models.CharField(_("provincie"), max_length=5, choices=Provincie.choices)
    is_centrumstad = models.BooleanField(_("centrumstad"), default=False)
    geldig_vanaf = models.DateField(_("geldig vanaf"), null=True, blank=True)
    geldig_tot = models.DateField(
        _("geldig tot en met"),
        null=True,
        blank=True,
        help_text=_("Leeg zolang het bestuur bestaat; bij een fusie de laatste dag."),
    )
    opvolger = models.ForeignKey(
        "self",
        verbose_name=_("opvolger"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voorgangers",
        help_text=_("Het bestuur dat dit bestuur opvolgt na een fusie."),
    )

    class Meta:
        verbose_name = _("lokaal bestuur")
        verbose_name_plural = _("lokale besturen")
        ordering = ("naam",)
        constraints = [
            models.CheckConstraint(
                condition=Q(nis_code__regex=r"^[1-9][0-9]{4}$"),
                name="lokaalbestuur_nis_code_5_digits",
                violation_error_message=_("Een NIS-code bestaat uit precies 5 cijfers."),
            ),
            models.CheckConstraint(
                condition=Q(geldig_tot__isnull=True)
                | Q(geldig_vanaf__isnull=True)
                | Q(geldig_tot__gte=models.F("geldig_vanaf")),
                name="lokaalbestuur_geldigheid_volgorde",
                violation_error_message=_("Het einde van de geldigheid ligt voor het begin."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.naam} ({self.nis_code})"

    def is_geldig_op(self, dag: datetime.date) -> bool:
        return (self.geldig_vanaf is None or self.geldig_vanaf <= dag) and (
            self.geldig_tot is None or dag <= self.geldig_tot
        )


class Bevolking(models.Model):
    """The population of a bestuur on 1 January of a reference year, as imported from Statbel."""

    bestuur = models.ForeignKey(
        LokaalBestuur,
        verbose_name=_("lokaal bestuur"),
        on_delete=models.CASCADE,
        related_name="bevolking",
    )
    referentiejaar = models.PositiveSmallIntegerField(_("referentiejaar"))
    inwoners = models.PositiveIntegerField(_("inwoners"))
    bron = models.CharField(_("bron"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bevolkingscijfer")
        verbose_name_plural = _("bevolkingscijfers")
        ordering = ("bestuur", "-referentiejaar")
        constraints = [
            models.UniqueConstraint(
                fields=("bestuur", "referentiejaar"), name="bevolking_een_per_jaar"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bestuur.naam} {self.referentiejaar}: {self.inwoners}"


class Werkloosheidsgraad(models.Model):
    """A bestuur's unemployment rate for a year, entered by a beheerder from a published source.

    Only the 2020-2025 order of priority uses it: when the budget falls short, verbanden without a
    centrumstad are funded by the highest average rate of their members.
    """

    bestuur = models.ForeignKey(
        LokaalBestuur,
        verbose_name=_("lokaal bestuur"),
        on_delete=models.CASCADE,
        related_name="werkloosheidsgraden",
    )
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    percentage = models.DecimalField(
        _("werkloosheidsgraad (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    bron = models.CharField(_("bron"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("werkloosheidsgraad")
        verbose_name_plural = _("werkloosheidsgraden")
        ordering = ("bestuur", "-jaar")
        constraints = [
            models.UniqueConstraint(
                fields=("bestuur", "jaar"),
                name="werkloosheidsgraad_een_per_jaar",
                violation_error_message=_(
                    "Dit bestuur heeft al een werkloosheidsgraad voor dat jaar."
                ),
            ),
            models.CheckConstraint(
                condition=Q(percentage__gte=0) & Q(percentage__lte=100),
                name="werkloosheidsgraad_percentage",
                violation_error_message=_("Een werkloosheidsgraad ligt tussen 0 en 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bestuur.naam} {self.jaar}: {self.percentage} %"


class Regieverband(models.Model):
    """The partnership that takes up the regierol for one or more besturen, led by a trekker."""

    naam = models.CharField(_("naam"), max_length=200, unique=True)
    rechtsvorm = models.CharField(_("rechtsvorm"), max_length=30, choices=Rechtsvorm.choices)
    trekker = models.ForeignKey(
        LokaalBestuur,
        verbose_name=_("trekker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="getrokken_regieverbanden",
        help_text=_("Het bestuur dat het verband trekt; leeg als de vereniging zelf trekt."),
    )
    contact_naam = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mailadres contactpersoon"), blank=True)
    contact_telefoon = models.CharField(_("telefoon contactpersoon"), max_length=50, blank=True)
    adres = models.TextField(_("adres"), blank=True)
    opmerking = models.TextField(
        _("opmerking"),
        blank=True,
        help_text=_("Bv. wat over dit verband nog niet bevestigd is."),
    )
    regisseurs = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("regisseurs"),
        blank=True,
        related_name="regieverbanden",
    )

    if TYPE_CHECKING:
        lidmaatschappen: models.Manager[Lidmaatschap]

    class Meta:
        verbose_name = _("regieverband")
        verbose_name_plural = _("regieverbanden")
        ordering = ("naam",)

    def __str__(self) -> str:
        return self.naam


def lid_op(dag: datetime.date, *, via: str = "") -> Q:
    """The condition "a membership running on `dag`" (both ends included), as
    `Lidmaatschap.is_actief_op`; `via` reaches the memberships through a relation, e.g.
    "lidmaatschappen__" to count a verband's members."""
    return Q(**{f"{via}van__lte": dag}) & (
        Q(**{f"{via}tot__isnull": True}) | Q(**{f"{via}tot__gte": dag})
    )


class LidmaatschapQuerySet(models.QuerySet["Lidmaatschap"]):
    def actief_op(self, dag: datetime.date) -> LidmaatschapQuerySet:
        """Memberships running on `dag` (both ends included), as `Lidmaatschap.is_actief_op`."""
        return self.filter(lid_op(dag))


class Lidmaatschap(models.Model):
    """A bestuur's membership of a regieverband, from a day until a day (both included)."""

    regieverband = models.ForeignKey(
        Regieverband,
        verbose_name=_("regieverband"),
        on_delete=models.CASCADE,
        related_name="lidmaatschappen",
    )
    bestuur = models.ForeignKey(
        LokaalBestuur,
        verbose_name=_("lokaal bestuur"),
        on_delete=models.PROTECT,
        related_name="lidmaatschappen",
    )
    van = models.DateField(_("lid vanaf"))
    tot = models.DateField(_("lid tot en met"), null=True, blank=True)

    objects = LidmaatschapQuerySet.as_manager()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ("bestuur__naam", "van")
        constraints = [
            models.CheckConstraint(
                condition=Q(tot__isnull=True) | Q(tot__gte=models.F("van")),
                name="lidmaatschap_einde_na_begin",
                violation_error_message=_("Een lidmaatschap kan niet eindigen voor het begint."),
            ),
            models.UniqueConstraint(
                fields=("regieverband", "bestuur", "van"),
                name="lidmaatschap_uniek_begin",
                violation_error_message=_("Dit bestuur is al lid vanaf die dag."),
            ),
        ]

    def __str__(self) -> str:
        einde = self.tot.isoformat() if self.tot else "heden"
        return (
            f"{self.bestuur.naam} in {self.regieverband.naam} ({self.van.isoformat()} tot {einde})"
        )

    def is_actief_op(self, dag: datetime.date) -> bool:
        return self.van <= dag and (self.tot is None or dag <= self.tot)


class Trekkerwissel(models.Model):
    """A change of a regieverband's trekker from a day on: the history of `Regieverband.trekker`."""

    regieverband = models.ForeignKey(
        Regieverband,
        verbose_name=_("regieverband"),
        on_delete=models.CASCADE,
        related_name="trekkerwissels",
    )
    trekker = models.ForeignKey(
        LokaalBestuur,
        verbose_name=_("trekker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leeg: de vereniging trekt zelf."),
    )
    vanaf = models.DateField(_("trekker vanaf"))
    geregistreerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geregistreerd door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    geregistreerd_op = models.DateTimeField(_("geregistreerd op"), default=timezone.now)

    class Meta:
        verbose_name = _("trekkerwissel")
        verbose_name_plural = _("trekkerwissels")
        ordering = ("regieverband", "-vanaf", "-geregistreerd_op")

    def __str__(self) -> str:
        trekker = self.trekker.naam if self.trekker else _("de vereniging zelf")
        return f"{self.regieverband.naam}: {trekker} vanaf {self.vanaf.isoformat()}"


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
    beschrijving = models.TextField(_("beschrijving"), blank=True)
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
    subsidieformule = models.CharField(
        _("subsidieformule"),
        max_length=30,
        choices=Subsidieformule.choices,
        default=Subsidieformule.ONBEKEND,
    )
    opmerking = models.TextField(
        _("opmerking"), blank=True, help_text=_("Bv. welke gegevens van deze oproep onzeker zijn.")
    )

    if TYPE_CHECKING:
        prioriteiten: models.Manager[Beleidsprioriteit]
        bijlagetypes: models.Manager[BijlageType]

    class Meta:
        verbose_name = _("oproep")
        verbose_name_plural = _("oproepen")
        ordering = ("-eerste_jaar", "naam")
        constraints = [
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

    @property
    def jaren(self) -> list[int]:
        return list(range(self.eerste_jaar, self.laatste_jaar + 1))

    @property
    def totaal_budget(self) -> Decimal:
        return self.jaarbudget * len(self.jaren)

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
    beschrijving = models.TextField(_("beschrijving"), blank=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("beleidsprioriteit")
        verbose_name_plural = _("beleidsprioriteiten")
        ordering = ("oproep", "volgorde", "code")
        constraints = [
            models.UniqueConstraint(
                fields=("oproep", "code"),
                name="prioriteit_code_uniek_per_oproep",
                violation_error_message=_("Deze code bestaat al in deze oproep."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.titel}"


class BijlageType(models.Model):
    """An attachment that a call requires (a setting of the call, since it differs per call)."""

    oproep = models.ForeignKey(
        Oproep, verbose_name=_("oproep"), on_delete=models.CASCADE, related_name="bijlagetypes"
    )
    code = models.SlugField(_("code"), max_length=40)
    naam = models.CharField(_("naam"), max_length=200)
    beschrijving = models.TextField(_("beschrijving"), blank=True)
    per_lid = models.BooleanField(
        _("één per lid"),
        default=False,
        help_text=_("Vereist voor elk lid van het regieverband (bv. een raadsbeslissing)."),
    )
    verplicht = models.BooleanField(_("verplicht"), default=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("bijlagetype")
        verbose_name_plural = _("bijlagetypes")
        ordering = ("oproep", "volgorde", "naam")
        constraints = [
            models.UniqueConstraint(fields=("oproep", "code"), name="bijlagetype_code_uniek")
        ]

    def __str__(self) -> str:
        return self.naam


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
    contact_naam = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    contact_functie = models.CharField(_("functie contactpersoon"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mailadres contactpersoon"), blank=True)
    contact_telefoon = models.CharField(_("telefoon contactpersoon"), max_length=50, blank=True)
    omgevingsanalyse = models.TextField(_("omgevingsanalyse"), blank=True)
    visie = models.TextField(_("visie en beleidsplanning"), blank=True)
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
        beoordelingen: models.Manager[Beoordeling]
        vragen: models.Manager[Vraag]
        notities: models.Manager[Notitie]
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
            models.UniqueConstraint(
                fields=("regieverband", "oproep"),
                name="aanvraag_een_per_verband_per_oproep",
                violation_error_message=_(
                    "Dit regieverband heeft al een aanvraag voor deze oproep."
                ),
            )
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
    titel = models.CharField(_("titel"), max_length=200)
    beschrijving = models.TextField(_("beschrijving"), blank=True)
    doelgroep = models.CharField(_("doelgroep"), max_length=300, blank=True)
    verwacht_resultaat = models.TextField(_("verwacht resultaat"), blank=True)
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    partners = models.CharField(
        _("partners"), max_length=300, blank=True, help_text=_("Bv. VDAB, OCMW, maatwerkbedrijf.")
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
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="actie_budget_niet_negatief",
                violation_error_message=_("Het budget kan niet negatief zijn."),
            )
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
    """One submission of an aanvraag, sealed: the PDF rendered at that moment and its SHA-256.

    Every download of this version serves exactly these bytes. A resubmission after changes adds
    a new Indiening with the next number; earlier ones are kept. `inhoud` holds the submitted
    content as data, so versions can be compared without reading PDFs.
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
    pdf = models.FileField(_("PDF"), upload_to=indiening_path, max_length=300)
    pdf_sha256 = models.CharField(_("SHA-256 van de PDF"), max_length=64, db_index=True)
    pdf_grootte = models.PositiveIntegerField(_("grootte (bytes)"))
    inhoud = models.JSONField(_("ingediende inhoud"), default=dict, editable=False)

    if TYPE_CHECKING:
        aanvraag_id: int

    class Meta:
        verbose_name = _("indiening")
        verbose_name_plural = _("indieningen")
        ordering = ("aanvraag", "nummer")
        constraints = [
            models.UniqueConstraint(
                fields=("aanvraag", "nummer"), name="indiening_nummer_uniek_per_aanvraag"
            )
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag} v{self.nummer}"


class Verlenging(models.Model):
    """WSE's extension of the deadline for one aanvraag: until when and why."""

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="verlengingen"
    )
    tot = models.DateTimeField(_("verlengd tot en met"))
    reden = models.TextField(_("reden"))
    toegekend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("toegekend door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    toegekend_op = models.DateTimeField(_("toegekend op"), default=timezone.now)

    class Meta:
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
    reden = models.TextField(_("reden"), blank=True)

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ("op", "pk")

    def __str__(self) -> str:
        return f"{self.van} → {self.naar}"


class BedragenPerJaar:
    """For a model whose `bedragen` hold an amount per year as JSON text (year -> "12500.00")."""

    bedragen: dict[str, str]

    @property
    def bedragen_per_jaar(self) -> dict[int, Decimal]:
        return {int(jaar): Decimal(bedrag) for jaar, bedrag in self.bedragen.items()}


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
    motivatie = models.TextField(_("motivatie"))
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
            models.UniqueConstraint(
                fields=("aanvraag", "beoordelaar"), name="beoordeling_een_per_beoordelaar"
            )
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag}: {self.beoordelaar}"


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
    motivatie = models.TextField(_("motivatie"))

    if TYPE_CHECKING:
        prioriteit_id: int

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ("beoordeling", "prioriteit__volgorde")
        constraints = [
            models.UniqueConstraint(
                fields=("beoordeling", "prioriteit"), name="score_een_per_prioriteit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prioriteit.code}: {self.score}"


class Vraag(models.Model):
    """A question of WSE to the regisseurs of an aanvraag, and their answer."""

    aanvraag = models.ForeignKey(
        Aanvraag, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="vragen"
    )
    tekst = models.TextField(_("vraag"))
    gesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gesteld door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    gesteld_op = models.DateTimeField(_("gesteld op"), default=timezone.now)
    antwoord = models.TextField(_("antwoord"), blank=True)
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
    tekst = models.TextField(_("notitie"))
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    op = models.DateTimeField(_("op"), default=timezone.now)

    class Meta:
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
        choices=[
            (AanvraagStatus.GOEDGEKEURD.value, AanvraagStatus.GOEDGEKEURD.label),
            (AanvraagStatus.AFGEWEZEN.value, AanvraagStatus.AFGEWEZEN.label),
        ],
    )
    bedragen = models.JSONField(
        _("toegekend bedrag per jaar"),
        default=dict,
    )
    motivatie = models.TextField(_("motivatie"))
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

    if TYPE_CHECKING:
        aanvraag_id: int

    class Meta:
        verbose_name = _("beslissing")
        verbose_name_plural = _("beslissingen")

    def __str__(self) -> str:
        return f"{self.aanvraag}: {self.get_uitkomst_display()}"

    @property
    def totaal(self) -> Decimal:
        return sum(self.bedragen_per_jaar.values(), Decimal(0))


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


class Uitnodiging(models.Model):
    """An invitation to set a password: a link that works once, until `geldig_tot`.

    Only the SHA-256 of the token is stored; the token itself is only in the e-mail.
    """

    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="uitnodigingen",
    )
    token_sha256 = models.CharField(_("SHA-256 van het token"), max_length=64, unique=True)
    verstuurd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verstuurd door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verstuurd_op = models.DateTimeField(_("verstuurd op"), default=timezone.now)
    geldig_tot = models.DateTimeField(_("geldig tot"))
    gebruikt_op = models.DateTimeField(_("gebruikt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ("-verstuurd_op",)

    def __str__(self) -> str:
        return f"{self.gebruiker} ({self.verstuurd_op:%Y-%m-%d})"


class Auditregel(models.Model):
    """One change made in /beheer/, or one download of an aanvraag's PDF or attachment by WSE.

    Written by `applications.audit`; the portal offers no way to change or delete it. The links
    to the user and the aanvraag become empty when those are deleted, so the user's e-mail address
    and the address of the page (which holds the aanvraag's number) are kept beside them.
    """

    class Soort(models.TextChoices):
        BEHEER = "beheer", _("Wijziging in beheer")
        DOWNLOAD = "download", _("Download door WSE")

    tijdstip = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    soort = models.CharField(_("soort"), max_length=10, choices=Soort.choices)
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    gebruiker_email = models.EmailField(_("e-mailadres gebruiker"), blank=True)
    ip_adres = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    actie = models.CharField(_("actie"), max_length=200)
    pad = models.CharField(_("adres"), max_length=500)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    gegevens = models.JSONField(_("gegevens"), default=dict, blank=True)
    aanvraag = models.ForeignKey(
        Aanvraag,
        verbose_name=_("aanvraag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ("-tijdstip", "-pk")
        indexes = [models.Index(fields=["soort", "-tijdstip"])]

    def __str__(self) -> str:
        return f"{self.tijdstip:%Y-%m-%d %H:%M:%S} {self.gebruiker_email} {self.actie}"
