"""The /beheer/ pages, the admin site, invitations, backup and restore, demo data."""

from django.apps import AppConfig
from django.contrib import admin
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BeheerConfig(AppConfig):
    name = "applications.beheer"
    verbose_name = _("Beheer")
    default_auto_field = "django.db.models.BigAutoField"


class BeheerAdminConfig(admin_apps.AdminConfig):
    """Django's admin (in INSTALLED_APPS in place of "django.contrib.admin") with the beheer site
    (`site.BeheerSite`) as its default site: every app's `admin.py` registers on it."""

    # Not the config of this app (`BeheerConfig` is): it is named in INSTALLED_APPS itself.
    default = False
    default_site = "applications.beheer.site.BeheerSite"

    def ready(self) -> None:
        super().ready()  # finds every app's admin.py, as Django's own does
        # Third-party apps register their models on the default site too; the beheer site has
        # never shown them: login attempts (axes) and the two-step devices with their secrets
        # (django-otp; the user page's action resets them), the worker's queue and schedules
        # (django-q2; the outbox page shows what matters, `manage.py qinfo` the rest).
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice
        from django_q.models import Failure, OrmQ, Schedule, Success

        for model in (
            AccessAttempt,
            AccessFailureLog,
            AccessLog,
            StaticDevice,
            TOTPDevice,
            Failure,
            OrmQ,
            Schedule,
            Success,
        ):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
