"""One e-mail in the outbox, from the moment a service queues it until it is sent or given up."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Bericht(models.Model):
    """An e-mail, rendered when it was queued (so it says what was true then) and sent by the
    worker, with retries. `vertrouwelijk` messages carry a secret link (an invitation, a new
    password): their text is erased once sent, so the secret lives only in the recipient's mailbox.
    """

    class Status(models.TextChoices):
        IN_WACHTRIJ = "in_wachtrij", _("in wachtrij")
        VERSTUURD = "verstuurd", _("verstuurd")
        MISLUKT = "mislukt", _("mislukt")

    aan = models.JSONField(_("aan"), default=list)
    onderwerp = models.CharField(_("onderwerp"), max_length=300)
    sjabloon = models.CharField(_("sjabloon"), max_length=200)
    tekst = models.TextField(_("tekst"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    vertrouwelijk = models.BooleanField(_("vertrouwelijk"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_WACHTRIJ
    )
    aangemaakt_op = models.DateTimeField(_("in wachtrij gezet op"), default=timezone.now)
    volgende_poging = models.DateTimeField(_("volgende poging"), default=timezone.now)
    pogingen = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    laatste_fout = models.CharField(_("laatste fout"), max_length=500, blank=True)
    verstuurd_op = models.DateTimeField(_("verstuurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("uitgaande e-mail")
        ordering = ("-aangemaakt_op", "-pk")
        indexes = [models.Index(fields=["status", "volgende_poging"])]

    def __str__(self) -> str:
        return f"{self.onderwerp} ({self.get_status_display()})"

    @property
    def status_tekst(self) -> str:
        """What staff read: "in wachtrij", "verstuurd" or "mislukt: <reden>"."""
        if self.status == self.Status.MISLUKT:
            return _("mislukt: %(reden)s") % {"reden": self.laatste_fout}
        if self.status == self.Status.IN_WACHTRIJ and self.laatste_fout:
            return _("in wachtrij (poging %(n)s mislukt: %(reden)s)") % {
                "n": self.pogingen,
                "reden": self.laatste_fout,
            }
        return str(self.get_status_display())
