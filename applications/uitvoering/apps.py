"""Life after the decision: the granted amounts, the payments ledger and its settings per call."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UitvoeringConfig(AppConfig):
    name = "applications.uitvoering"
    verbose_name = _("Uitvoering")
    default_auto_field = "django.db.models.BigAutoField"
