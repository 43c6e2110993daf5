"""The audit log of changes in beheer and WSE's downloads."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "applications.audit"
    verbose_name = _("Auditlog")
    default_auto_field = "django.db.models.BigAutoField"
