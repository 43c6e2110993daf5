"""An invitation to the portal: a link that works once to choose a password."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.beheer.constants import MELDING_MAX
from applications.core.teksten import BegrensdeTekst, lengte_beperking


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
    bericht = models.ForeignKey(
        "berichten.Bericht",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ("-verstuurd_op",)

    def __str__(self) -> str:
        return f"{self.gebruiker} ({self.verstuurd_op:%Y-%m-%d})"


class Onderhoudsmelding(models.Model):
    """The message a beheerder shows on every page, e.g. before maintenance. One row; shown while
    `actief`."""

    tekst = BegrensdeTekst(
        _("tekst"),
        limiet=MELDING_MAX,
        help_text=_("Bv. 'Op 12 januari van 18 tot 20 uur is het portaal niet bereikbaar.'"),
    )
    actief = models.BooleanField(_("tonen op elke pagina"), default=False)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("onderhoudsmelding")
        verbose_name_plural = _("onderhoudsmeldingen")
        constraints = [lengte_beperking("tekst", MELDING_MAX, "beheer_onderhoudsmelding")]

    def __str__(self) -> str:
        return self.tekst[:80]
