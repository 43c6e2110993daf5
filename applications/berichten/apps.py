"""The e-mail outbox: every e-mail the portal sends waits here until the worker has sent it."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BerichtenConfig(AppConfig):
    name = "applications.berichten"
    verbose_name = _("Uitgaande e-mail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from applications.berichten import planning

        post_migrate.connect(planning.plan_wachtrij, sender=self)
