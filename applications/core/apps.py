"""What every app uses: mail, the PDF engine, private storage, transactions with files, fields."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "applications.core"
    verbose_name = _("Kern")
    default_auto_field = "django.db.models.BigAutoField"
