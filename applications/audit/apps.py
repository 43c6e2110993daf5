"""The audit log of changes in beheer, WSE's downloads and logins."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "applications.audit"
    verbose_name = _("Auditlog")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from applications.audit import signals  # noqa: F401  (connects the login signals)
