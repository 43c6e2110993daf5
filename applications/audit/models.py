"""models (moved from models.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
        "aanvragen.Aanvraag",
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
