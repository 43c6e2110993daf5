from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The read-only JSON API for WSE's systems and the regisseurs' own tools, and its tokens."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "applications.api"
    verbose_name = _("API")

    def ready(self) -> None:
        from applications.api import schema  # noqa: F401  (registers the schema extension)
