"""API tokens (hashed at rest, with an expiry and scopes) and the log of every API call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.api.constants import NAAM_MAX, PREFIX_LENGTE, STANDAARD_PER_UUR, Scope


class ApiToken(models.Model):
    """A key to the read-only API.

    A regisseur's token reads as that regisseur (only their own verbanden); a token a beheerder
    issues for one of WSE's systems has no user and reads as WSE. Only the SHA-256 of the secret
    is kept: the token is shown once, when it is made. A token is 32 random bytes, so a fast
    hash suffices (nothing to guess); the prefix finds the row without comparing hashes.
    """

    naam = models.CharField(_("naam"), max_length=NAAM_MAX)
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("regisseur"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("Leeg voor een systeem van WSE: dat leest alles wat WSE ziet."),
    )
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTE, unique=True, editable=False)
    sleutel_hash = models.CharField(_("SHA-256 van de sleutel"), max_length=64, editable=False)
    scopes = models.JSONField(_("mag lezen"), default=list)
    verloopt_op = models.DateTimeField(_("verloopt op"))
    per_uur = models.PositiveIntegerField(
        _("aanvragen per uur"), default=STANDAARD_PER_UUR, validators=[MinValueValidator(1)]
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now, editable=False)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    laatst_gebruikt_op = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)

    if TYPE_CHECKING:
        gebruiker_id: int | None

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ("-aangemaakt_op",)

    def __str__(self) -> str:
        return f"{self.naam} ({self.prefix}…)"

    @property
    def scope_namen(self) -> list[str]:
        """What the token may read, in words."""
        return [str(Scope(s).label) for s in self.scopes if s in Scope.values]

    @property
    def is_systeem(self) -> bool:
        return self.gebruiker_id is None

    def is_geldig(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.ingetrokken_op is None and moment < self.verloopt_op  # type: ignore[operator]


class ApiAanroep(models.Model):
    """One request to the API: which token (if any was valid), what, and the answer."""

    token = models.ForeignKey(
        ApiToken,
        verbose_name=_("API-sleutel"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="aanroepen",
    )
    op = models.DateTimeField(_("op"), default=timezone.now)
    methode = models.CharField(_("methode"), max_length=10)
    pad = models.CharField(_("pad"), max_length=500)
    status = models.PositiveSmallIntegerField(_("antwoord"))
    ip = models.GenericIPAddressField(_("IP-adres"), null=True)

    class Meta:
        verbose_name = _("API-aanroep")
        verbose_name_plural = _("API-aanroepen")
        ordering = ("-op",)
        indexes = [models.Index(fields=("token", "op"), name="api_aanroep_token_op")]

    def __str__(self) -> str:
        return f"{self.op:%Y-%m-%d %H:%M:%S} {self.methode} {self.pad} {self.status}"
