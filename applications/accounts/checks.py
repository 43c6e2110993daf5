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
