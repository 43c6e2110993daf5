"""Lokale besturen, regieverbanden, membership over time, trekkers, reference data."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BesturenConfig(AppConfig):
    name = "applications.besturen"
    verbose_name = _("Besturen en regieverbanden")
    default_auto_field = "django.db.models.BigAutoField"
