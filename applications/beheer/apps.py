"""The /beheer/ pages, the admin site, invitations, backup and restore, demo data."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeheerConfig(AppConfig):
    name = "applications.beheer"
    verbose_name = _("Beheer")
    default_auto_field = "django.db.models.BigAutoField"
