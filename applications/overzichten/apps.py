"""Coverage, budget and exports over a whole call."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverzichtenConfig(AppConfig):
    name = "applications.overzichten"
    verbose_name = _("Overzichten")
    default_auto_field = "django.db.models.BigAutoField"
