"""The audit log. It knows no model of the other apps: a line names what it is about by a label
written at the time, so the log reads the same after that object changed or was deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Auditregel(models.Model):
    """One change made in /beheer/, one download of an aanvraag's PDF or attachment by WSE, one
    login (with a password or through ACM/IDM) or refused login, or one closing, anonymisation
    or deletion of sealed PDFs of a dossier.

    Written by `applications.audit.services`; the portal offers no way to change or delete it. The
    link to the user becomes empty when the user is deleted, so the e-mail address is kept beside
    it; what the line is about is kept as a label ("Aanvraag Werkkracht10 - ...") with the model's
    label and number, never as a link.
    """

    class Soort(models.TextChoices):
        BEHEER = "beheer", _("Wijziging in beheer")
        DOWNLOAD = "download", _("Download door WSE")
        AANMELDING = "aanmelding", _("Aanmelding of geweigerde aanmelding")
        DOSSIER = "dossier", _("Afsluiting of bewaring van een dossier")

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
    onderwerp = models.CharField(_("onderwerp"), max_length=300, blank=True)
    onderwerp_type = models.CharField(
        _("soort onderwerp"), max_length=100, blank=True, help_text=_("Bv. aanvragen.aanvraag.")
    )
    onderwerp_id = models.PositiveBigIntegerField(_("nummer onderwerp"), null=True, blank=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ("-tijdstip", "-pk")
        indexes = [
            models.Index(fields=["soort", "-tijdstip"]),
            models.Index(fields=["onderwerp_type", "onderwerp_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.tijdstip:%Y-%m-%d %H:%M:%S} {self.gebruiker_email} {self.actie}"
