"""The aanvraag: meerjarenplan, attachments, statuses, submission, sealed PDF, reminders."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AanvragenConfig(AppConfig):
    name = "applications.aanvragen"
    verbose_name = _("Aanvragen")
    default_auto_field = "django.db.models.BigAutoField"
