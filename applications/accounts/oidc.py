"""The portal's side of OpenID Connect (ACM/IDM): discovery, the authorization request with PKCE,
and the ID token's checks. What the token's claims mean (roles, organisations) is decided by
`applications.besturen.aanmelding`, which knows the organisations.

Authlib (its Django client) does the protocol: the state and the nonce kept in the session and
each used once, PKCE with S256, the code exchanged at the token endpoint, the ID token's
signature checked against the provider's keys (JWKS), its `exp`, `iat` and `nonce`. What Authlib
leaves to the portal, and this module does:

- discovery (`ontdekking`): `<OIDC_ISSUER>/.well-known/openid-configuration`, kept
  `OIDC_DISCOVERY_SECONDEN` in the cache; refused when its `issuer` is not exactly OIDC_ISSUER or
  when the provider says it cannot do PKCE with S256;
- the keys (`Client.fetch_jwk_set`), kept as long, fetched again at once for an unknown key id;
- the signature algorithm: RS256 only, whatever the provider advertises (no `none`, no HS256
  signed with the client secret);
- the issuer and the audience (Authlib checks only `azp`): `iss` must be OIDC_ISSUER, `aud` must
  hold OIDC_CLIENT_ID, and a token for several audiences must name the portal in `azp`.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from joserfc.errors import JoseError

log = logging.getLogger("regierol.aanmelding")

NAAM = "acmidm"
ALGORITME = "RS256"
TIMEOUT_SECONDEN = 10
# The session key of the ID token of this login, for the provider's logout.
ID_TOKEN = "regierol_oidc_id_token"


class OidcFout(Exception):
    """The login through the provider failed; `reden` says why, for the log and the tests (the
    person sees one Dutch message)."""

    def __init__(self, reden: str) -> None:
        super().__init__(reden)
        self.reden = reden


def oidc_ingesteld() -> bool:
    """Login through OpenID Connect is offered when the issuer and the client id are set."""
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def _cache_sleutel(wat: str) -> str:
    return f"regierol-oidc-{wat}:{settings.OIDC_ISSUER}"


def ontdekking() -> dict[str, Any]:
    """The provider's discovery document, checked, from the cache when it is there."""
    sleutel = _cache_sleutel("discovery")
    document = cache.get(sleutel)
    if isinstance(document, dict):
        return document
    url = f"{settings.OIDC_ISSUER}/.well-known/openid-configuration"
    try:
        antwoord = requests.get(url, timeout=TIMEOUT_SECONDEN)
        antwoord.raise_for_status()
        document = antwoord.json()
    except (requests.RequestException, ValueError) as exc:
        raise OidcFout(f"discovery onbereikbaar: {exc}") from exc
    if not isinstance(document, dict):
        raise OidcFout("discovery is geen JSON-object")
    if document.get("issuer") != settings.OIDC_ISSUER:
        # OpenID Connect Discovery 1.0, section 4.3: the issuer must be the one asked for.
        raise OidcFout(f"discovery noemt een andere uitgever: {document.get('issuer')!r}")
    for veld in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(veld), str):
            raise OidcFout(f"discovery mist {veld}")
    methoden = document.get("code_challenge_methods_supported")
    if methoden is not None and "S256" not in methoden:
        raise OidcFout("de provider kent geen PKCE met S256")
    cache.set(sleutel, document, settings.OIDC_DISCOVERY_SECONDEN)
    return document


class Client(DjangoOAuth2App):
    """Authlib's Django client, with the provider's keys kept in the cache that every app server
    shares (Authlib keeps them per object)."""

    def fetch_jwk_set(self, force: bool = False) -> dict[str, Any]:
        sleutel = _cache_sleutel("jwks")
        if not force:
            bewaard = cache.get(sleutel)
            if isinstance(bewaard, dict):
                return bewaard
        sleutels: dict[str, Any] = super().fetch_jwk_set(force=True)
        cache.set(sleutel, sleutels, settings.OIDC_DISCOVERY_SECONDEN)
        return sleutels


def client() -> Client:
    """A client for the configured provider (cheap: the discovery comes from the cache)."""
    document = ontdekking()
    return Client(
        DjangoIntegration(NAAM),
        name=NAAM,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        authorize_url=document["authorization_endpoint"],
        access_token_url=document["token_endpoint"],
        client_kwargs={
            "scope": " ".join(settings.OIDC_SCOPES),
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": settings.OIDC_TOKEN_AUTH_METHOD,
            "timeout": TIMEOUT_SECONDEN,
        },
        # The rest is the server metadata Authlib reads: the keys, the issuer, the algorithm.
        issuer=document["issuer"],
        jwks_uri=document["jwks_uri"],
        id_token_signing_alg_values_supported=[ALGORITME],
        end_session_endpoint=document.get("end_session_endpoint"),
    )


def aanmelden_bij_provider(request: HttpRequest, terug_url: str) -> HttpResponse:
    """Send the browser to the provider; state, nonce and the PKCE verifier stay in the
    session (each for this one login)."""
    return client().authorize_redirect(request, terug_url)


def afmeld_url(id_token: str, terug_url: str) -> str | None:
    """Where to send the browser to end the provider's session too (OpenID Connect RP-Initiated
    Logout 1.0), or None when the provider offers no end_session_endpoint or cannot be reached
    (then only the portal's session ends)."""
    if not oidc_ingesteld() or not id_token:
        return None
    try:
        eindpunt = ontdekking().get("end_session_endpoint")
    except OidcFout as fout:
        log.warning("Afmelden bij ACM/IDM overgeslagen: %s", fout.reden)
        return None
    if not isinstance(eindpunt, str) or not eindpunt:
        return None
    parameters = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": terug_url,
        "client_id": settings.OIDC_CLIENT_ID,
    }
    scheiding = "&" if "?" in eindpunt else "?"
    return f"{eindpunt}{scheiding}{urlencode(parameters)}"


def _controleer_publiek(claims: dict[str, Any]) -> None:
    """The audience: the token must be meant for this portal (OpenID Connect Core 3.1.3.7)."""
    aud = claims.get("aud")
    publiek = [aud] if isinstance(aud, str) else aud
    if not isinstance(publiek, list) or settings.OIDC_CLIENT_ID not in publiek:
        raise OidcFout(f"verkeerd publiek (aud): {aud!r}")
    if len(publiek) > 1 and claims.get("azp") != settings.OIDC_CLIENT_ID:
        raise OidcFout(f"meerdere publieken zonder azp voor dit portaal: {claims.get('azp')!r}")


def terug_van_provider(request: HttpRequest) -> tuple[dict[str, Any], str]:
    """The checked claims of the ID token the provider gave for this browser's login, and the
    token itself (kept in the session for the provider's logout).

    Raises `OidcFout` for an unknown or used state, an error from the provider, a code the token
    endpoint refuses (a wrong PKCE verifier among others), a token signed with another key or
    algorithm, another issuer or audience, a wrong nonce, or a token expired (or issued in the
    future) beyond `OIDC_KLOKSPELING_SECONDEN`.
    """
    try:
        app = client()
        token = app.authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "value": settings.OIDC_ISSUER},
                "aud": {"essential": True, "value": settings.OIDC_CLIENT_ID},
                "sub": {"essential": True},
            },
            leeway=settings.OIDC_KLOKSPELING_SECONDEN,
        )
    except OidcFout:
        raise
    except (OAuthError, JoseError, requests.RequestException, ValueError, KeyError) as exc:
        raise OidcFout(f"{type(exc).__name__}: {exc}") from exc
    claims = token.get("userinfo")
    if not claims:
        raise OidcFout("geen ID-token")
    claims = dict(claims)
    if claims.get("iss") != settings.OIDC_ISSUER:
        raise OidcFout(f"verkeerde uitgever (iss): {claims.get('iss')!r}")
    _controleer_publiek(claims)
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise OidcFout("geen subject (sub)")
    return claims, str(token.get("id_token", ""))
