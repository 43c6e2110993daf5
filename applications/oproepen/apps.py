"""Calls, their beleidsprioriteiten, required attachments and the subsidy formula."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OproepenConfig(AppConfig):
    name = "applications.oproepen"
    verbose_name = _("Oproepen")
    default_auto_field = "django.db.models.BigAutoField"
