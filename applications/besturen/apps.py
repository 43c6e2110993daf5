"""Lokale besturen, regieverbanden, membership over time, trekkers, reference data."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def plan_trekkerwissels(**kwargs: Any) -> None:
    """The worker applies planned trekker changes every night, just after midnight."""
    from applications.core import taken

    taken.elke_dag(
        "besturen: trekkerwissels toepassen",
        "django.core.management.call_command",
        args="'trekkerwissels_toepassen'",
        uur=0,
        minuut=10,
    )


class BesturenConfig(AppConfig):
    name = "applications.besturen"
    verbose_name = _("Besturen en regieverbanden")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(plan_trekkerwissels, sender=self)
