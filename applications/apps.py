from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Regierol")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the system checks)
        from .middleware import begin_activiteit

        user_logged_in.connect(begin_activiteit, dispatch_uid="regierol_begin_activiteit")
