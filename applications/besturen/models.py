"""Lokale besturen (keyed on NIS code and validity dates), their population and unemployment
figures, regieverbanden, membership over time and changes of trekker."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.besturen.constants import ADRES_MAX, OPMERKING_MAX, Provincie, Rechtsvorm
from applications.besturen.kbo import kbo_validator
from applications.core.teksten import BegrensdeTekst, lengte_beperking

nis_code_validator = RegexValidator(
    regex=r"^[1-9][0-9]{4}$",
    message=_("Een NIS-code bestaat uit precies 5 cijfers en begint niet met 0, bv. 71072."),
    code="invalid_nis_code",
)


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
    # ACM/IDM names a person's organisation by its KBO number (`besturen.aanmelding`); imported by
    # `manage.py import_kbo`.
    kbo_gemeente = models.CharField(
        _("KBO-nummer gemeente"), max_length=10, blank=True, validators=[kbo_validator]
    )
    kbo_ocmw = models.CharField(
        _("KBO-nummer OCMW"), max_length=10, blank=True, validators=[kbo_validator]
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
            models.UniqueConstraint(
                fields=("kbo_gemeente",),
                condition=~Q(kbo_gemeente=""),
                name="lokaalbestuur_kbo_gemeente_uniek",
                violation_error_message=_("Een ander bestuur heeft dit KBO-nummer al."),
            ),
            models.UniqueConstraint(
                fields=("kbo_ocmw",),
                condition=~Q(kbo_ocmw=""),
                name="lokaalbestuur_kbo_ocmw_uniek",
                violation_error_message=_("Een ander bestuur heeft dit KBO-nummer al."),
            ),
        ]

    # Set by the selectors that list a verband's members (`besturen.selectors.leden_op`): whether
    # the membership that makes this bestuur a member is marked "waarschijnlijk". Not a field.
    lid_waarschijnlijk: bool = False

    def __str__(self) -> str:
        return f"{self.naam} ({self.nis_code})"

    def is_geldig_op(self, dag: datetime.date) -> bool:
        return (self.geldig_vanaf is None or self.geldig_vanaf <= dag) and (
            self.geldig_tot is None or dag <= self.geldig_tot
        )

    @property
    def fusiedatum(self) -> datetime.date | None:
        """The first day of the successor, for a bestuur that ended in a merger; else None."""
        if self.opvolger_id is None or self.geldig_tot is None:
            return None
        return self.geldig_tot + datetime.timedelta(days=1)

    def fusie_tekst(self, *, vandaag: datetime.date | None = None) -> str:
        """ "sinds 1 januari 2025 deel van Lochristi" for a bestuur that merged, "" otherwise.

        Reads `opvolger`: a list that shows it selects `opvolger` with the bestuur, so that the
        text costs no query per row. A merger still to come reads "vanaf ...".
        """
        datum = self.fusiedatum
        if datum is None or self.opvolger is None:
            return ""
        waarden = {"datum": formats.date_format(datum, "j F Y"), "opvolger": self.opvolger.naam}
        if datum > (vandaag or timezone.localdate()):
            return gettext("vanaf %(datum)s deel van %(opvolger)s") % waarden
        return gettext("sinds %(datum)s deel van %(opvolger)s") % waarden

    @property
    def naam_in_lijst(self) -> str:
        """The name as a list of members shows it: "Wachtebeke (sinds 1 januari 2025 deel van
        Lochristi)" for a merged bestuur, the plain name otherwise."""
        tekst = self.fusie_tekst()
        return f"{self.naam} ({tekst})" if tekst else self.naam


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
    kbo = models.CharField(
        _("KBO-nummer"),
        max_length=10,
        blank=True,
        validators=[kbo_validator],
        help_text=_("Alleen voor een verband met een eigen rechtspersoon (bv. een vereniging)."),
    )
    contact_naam = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mailadres contactpersoon"), blank=True)
    contact_telefoon = models.CharField(_("telefoon contactpersoon"), max_length=50, blank=True)
    adres = BegrensdeTekst(_("adres"), blank=True, limiet=ADRES_MAX)
    opmerking = BegrensdeTekst(
        _("opmerking"),
        blank=True,
        help_text=_("Bv. wat over dit verband nog niet bevestigd is."),
        limiet=OPMERKING_MAX,
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
        constraints = [
            lengte_beperking("opmerking", OPMERKING_MAX, "besturen_regieverband"),
            lengte_beperking("adres", ADRES_MAX, "besturen_regieverband"),
            models.UniqueConstraint(
                fields=("kbo",),
                condition=~Q(kbo=""),
                name="regieverband_kbo_uniek",
                violation_error_message=_("Een ander regieverband heeft dit KBO-nummer al."),
            ),
        ]
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
    waarschijnlijk = models.BooleanField(
        _("waarschijnlijk, niet bevestigd"),
        default=False,
        help_text=_(
            "Aan voor een lid dat uit een bron als waarschijnlijk blijkt maar niet bevestigd is; "
            "de pagina's tonen het zo."
        ),
    )

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
