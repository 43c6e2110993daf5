"""Life after the decision: the granted amounts, the payments ledger, the opvolgmomenten and
their settings per call."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def plan_opvolg_herinneringen(**kwargs: Any) -> None:
    """The worker sends the reminders of the opvolgmomenten: every day, each reminder once."""
    from applications.core import taken

    taken.elke_dag(
        "uitvoering: herinneringen voor de opvolgmomenten",
        "django.core.management.call_command",
        args="'send_opvolg_herinneringen'",
        uur=7,
    )


class UitvoeringConfig(AppConfig):
    name = "applications.uitvoering"
    verbose_name = _("Uitvoering")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from applications.aanvragen import versietellers
        from applications.aanvragen.permissions import afsluitregel
        from applications.uitvoering.permissions import is_afgesloten

        post_migrate.connect(plan_opvolg_herinneringen, sender=self)
        # The apps below this one (the review's notes) ask whether a dossier is closed through
        # `aanvragen.permissions.is_dossier_afgesloten`: this is the one rule.
        afsluitregel(is_afgesloten)
        # Whether the dossier is closed shows on WSE's review page, which is kept per version.
        versietellers.volg("uitvoering_afsluiting")
