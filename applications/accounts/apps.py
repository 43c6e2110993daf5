"""Users and their roles, login, two-step login, sessions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "applications.accounts"
    verbose_name = _("Gebruikers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from applications.accounts import checks  # noqa: F401  (registers the system checks)
        from applications.accounts.middleware import begin_activiteit

        user_logged_in.connect(begin_activiteit, dispatch_uid="regierol_begin_activiteit")
