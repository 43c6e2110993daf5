"""The aanvraag: meerjarenplan, attachments, statuses, submission, sealed PDF, reminders."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def plan_herinneringen(**kwargs: Any) -> None:
    """The worker sends the deadline reminders: every hour, each reminder once."""
    from applications.core import taken

    taken.elke_paar_minuten(
        "aanvragen: herinneringen voor de deadline",
        "django.core.management.call_command",
        args="'send_deadline_reminders'",
        minuten=60,
    )


def plan_verzegeling(**kwargs: Any) -> None:
    """The worker makes the sealed PDFs still missing: every minute, those whose attempt is due."""
    from applications.core import taken

    taken.elke_paar_minuten(
        "aanvragen: verzegelde PDF's maken",
        "applications.aanvragen.verzegeling.wachtende_pdfs",
        minuten=1,
    )


def maak_versietriggers(using: str, **kwargs: Any) -> None:
    """The triggers behind the version counters, made again after every migrate (see
    `versietellers`)."""
    from django.db import connections

    from applications.aanvragen import versietellers

    versietellers.installeer(connections[using])


class AanvragenConfig(AppConfig):
    name = "applications.aanvragen"
    verbose_name = _("Aanvragen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(plan_herinneringen, sender=self)
        post_migrate.connect(plan_verzegeling, sender=self)
        post_migrate.connect(maak_versietriggers, sender=self)
