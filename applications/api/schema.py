"""How the OpenAPI schema describes the token authentication."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "applications.api.authentication.TokenAuthentication"
    name = "apiSleutel"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Een API-sleutel `rr_...`, gemaakt op /account/api-sleutels/ of in /beheer/."
            ),
        }
