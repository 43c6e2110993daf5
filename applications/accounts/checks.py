"""System checks of the portal's own settings, run by `manage.py check --deploy`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def tweestaps_in_productie(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """With debug off, WSE staff and beheerders must log in in two steps."""
    if settings.DEBUG or settings.REGIEROL_TWEESTAPS_VERPLICHT:
        return []
    return [
        Warning(
            "REGIEROL_TWEESTAPS_VERPLICHT is off: WSE reviewers and beheerders log in with a "
            "password only.",
            hint="Remove REGIEROL_TWEESTAPS_VERPLICHT from the environment (it defaults to on).",
            id="regierol.W001",
        )
    ]


@register(Tags.security, deploy=True)
def oidc_in_productie(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The login through ACM/IDM in production: over HTTPS, with the client's secret."""
    if not settings.OIDC_ISSUER:
        return []
    meldingen: list[CheckMessage] = []
    if not settings.OIDC_ISSUER.startswith("https://"):
        meldingen.append(
            Warning(
                f"OIDC_ISSUER is not an https address: {settings.OIDC_ISSUER}.",
                hint="Use the provider's https issuer (https://authenticatie.vlaanderen.be/op).",
                id="regierol.W002",
            )
        )
    if not settings.OIDC_CLIENT_ID or not settings.OIDC_CLIENT_SECRET:
        meldingen.append(
            Warning(
                "OIDC_ISSUER is set without OIDC_CLIENT_ID or OIDC_CLIENT_SECRET.",
                hint="Set both, as registered at ACM/IDM (README, 'Aanmelden met ACM/IDM').",
                id="regierol.W003",
            )
        )
    return meldingen
