"""A real OpenID Connect provider on loopback for the tests, built on Authlib's server side (the
same library as the portal's client, but its provider half: `AuthorizationServer`,
`AuthorizationCodeGrant`, `OpenIDCode`, `CodeChallenge`), served over HTTP by the standard
library's WSGI server in a thread.

It serves discovery, the keys (JWKS, a fresh RSA key of 2048 bits per provider), the
authorization endpoint (which logs in `provider.persoon` at once, as a person who already has a
session at ACM/IDM would be; with `interactief`, it shows a form to type the person's subject,
name and roles) and the token endpoint (client authentication with the secret, the
code used once, the redirect URI compared, PKCE with S256 required and checked, an ID token
signed RS256). Like ACM/IDM it puts the person's claims (`vo_id`, `given_name`,
`regierol_rol_3d`...) in the ID token.

To test the portal's refusals it misbehaves on request: `persoon` may carry claims that override
the token's own (`aud`, `iss`, `nonce`, `exp`), and `vreemde_sleutel` signs with a key that is not
in its JWKS. Every request it receives is kept in `verzoeken`, to assert what the portal sent.

On its own, to try the portal's login on one machine (README, "Aanmelden met ACM/IDM"):

    python -m tests.oidc_provider --poort 8190 --terug http://127.0.0.1:8000/accounts/acmidm/terug/
"""

from __future__ import annotations

import argparse
import html
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from authlib.common.security import generate_token
from authlib.oauth2 import AuthorizationServer, OAuth2Error, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import KeySet, RSAKey

KID = "test-sleutel-1"


@dataclass
class Klant(ClientMixin):
    """The portal as this provider knows it: id, secret, the one redirect URI registered."""

    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return scope

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return client_secret == self.client_secret

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    persoon: dict[str, Any]
    auth_time: int

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str | None:
        return None

    def get_amr(self) -> list[str] | None:
        return None


class Verzoek(OAuth2Request):
    """A WSGI request as Authlib's server reads it."""

    def __init__(self, method: str, uri: str, headers: dict[str, str], args: dict, form: dict):
        super().__init__(method, uri, headers=headers)
        self._args = args
        self._form = form
        self.payload = BasicOAuth2Payload({**args, **form})

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class PkceVerplicht(CodeChallenge):
    """PKCE for every client, confidential ones too, and only with S256 (as ACM/IDM asks)."""

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is verplicht: code_challenge ontbreekt")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Alleen code_challenge_method S256")
        super().validate_code_challenge(grant, redirect_uri)

    def get_authorization_code_challenge(self, authorization_code: Code) -> str | None:
        return authorization_code.code_challenge

    def get_authorization_code_challenge_method(self, authorization_code: Code) -> str | None:
        return authorization_code.code_challenge_method


@dataclass
class Provider:
    """One provider on 127.0.0.1, with its keys, its client and the person who logs in next."""

    klant: Klant
    sleutel: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": KID}))
    persoon: dict[str, Any] = field(default_factory=dict)
    vreemde_sleutel: RSAKey | None = None
    codes: dict[str, Code] = field(default_factory=dict)
    verzoeken: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    issuer: str = ""
    interactief: bool = False

    def reset(self) -> None:
        self.persoon = {}
        self.interactief = False
        self.vreemde_sleutel = None
        self.codes.clear()
        self.verzoeken.clear()

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
            ],
            "scopes_supported": ["openid", "profile", "vo", "regierol_rol_3d"],
        }

    def jwks(self) -> dict[str, Any]:
        return dict(KeySet([self.sleutel]).as_dict(private=False))

    def verzoeken_naar(self, pad: str) -> list[dict[str, str]]:
        return [params for methode, p, params in self.verzoeken if p == pad]


def _server(provider: Provider) -> AuthorizationServer:
    class Server(AuthorizationServer):
        def query_client(self, client_id: str) -> Klant | None:
            return provider.klant if client_id == provider.klant.client_id else None

        def save_token(self, token: dict, request: OAuth2Request) -> None:
            return None

        def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
            return request

        def create_json_request(self, request: Any) -> Any:
            raise NotImplementedError

        def handle_response(self, status: int, body: Any, headers: Any) -> tuple:
            return status, body, list(headers)

        def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
            return None

    class Grant(AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
            data = request.payload.data
            provider.codes[code] = Code(
                code=code,
                client_id=request.client.get_client_id(),
                redirect_uri=data.get("redirect_uri", ""),
                scope=request.scope or "",
                nonce=data.get("nonce"),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                persoon=dict(request.user),
                auth_time=int(time.time()),
            )

        def query_authorization_code(self, code: str, client: Klant) -> Code | None:
            gevonden = provider.codes.get(code)
            if gevonden and gevonden.client_id == client.get_client_id():
                return gevonden
            return None

        def delete_authorization_code(self, authorization_code: Code) -> None:
            provider.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code: Code) -> dict[str, Any]:
            return authorization_code.persoon

    class OpenID(OpenIDCode):
        def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
            return False

        def resolve_client_private_key(self, client: Klant) -> RSAKey:
            return provider.vreemde_sleutel or provider.sleutel

        def get_client_algorithm(self, client: Klant) -> str:
            return "RS256"

        def get_encode_header(self, client: Klant) -> dict[str, str]:
            return {"alg": "RS256", "kid": KID}

        def get_client_claims(self, client: Klant) -> dict[str, Any]:
            now = int(time.time())
            return {
                "iss": provider.issuer,
                "aud": [client.get_client_id()],
                "iat": now,
                "exp": now + 300,
            }

        def generate_user_info(self, user: dict[str, Any], scope: str) -> UserInfo:
            # The person's claims last: a test may override iss, aud, nonce or exp with them.
            return UserInfo(user)

    server = Server()
    server.register_token_generator(
        "default", BearerTokenGenerator(lambda *args, **kwargs: generate_token(42))
    )
    server.register_grant(Grant, [OpenID(require_nonce=True), PkceVerplicht(required=True)])
    return server


def _app(provider: Provider) -> Callable[..., Iterable[bytes]]:
    server = _server(provider)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        pad = environ.get("PATH_INFO", "")
        args = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        lengte = int(environ.get("CONTENT_LENGTH") or 0)
        form = dict(parse_qsl(environ["wsgi.input"].read(lengte).decode())) if lengte else {}
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        headers["Content-Type"] = environ.get("CONTENT_TYPE", "")
        provider.verzoeken.append((environ["REQUEST_METHOD"], pad, {**args, **form}))
        uri = f"{provider.issuer}{pad}?{environ.get('QUERY_STRING', '')}"
        verzoek = Verzoek(environ["REQUEST_METHOD"], uri, headers, args, form)

        def json_antwoord(status: str, data: Any, extra: Iterable = ()) -> Iterable[bytes]:
            start_response(status, [("Content-Type", "application/json"), *extra])
            return [json.dumps(data).encode()]

        if pad == "/.well-known/openid-configuration":
            return json_antwoord("200 OK", provider.discovery())
        if pad == "/jwks":
            return json_antwoord("200 OK", provider.jwks())
        if pad == "/authorize":
            persoon = provider.persoon
            if provider.interactief:
                if environ["REQUEST_METHOD"] != "POST":
                    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
                    return [_formulier(args).encode()]
                persoon = _persoon_uit_formulier(form)
            try:
                grant = server.get_consent_grant(request=verzoek, end_user=persoon)
            except OAuth2Error as fout:
                return json_antwoord("400 Bad Request", dict(fout.get_body()))
            status, body, extra = server.create_authorization_response(
                request=verzoek, grant_user=persoon, grant=grant
            )
            start_response(f"{status} Found", list(extra))
            return [b""]
        if pad == "/token":
            status, body, extra = server.create_token_response(verzoek)
            start_response(f"{status} X", [(k, v) for k, v in extra])
            return [json.dumps(body).encode()]
        if pad == "/logout":
            terug = args.get("post_logout_redirect_uri", "")
            if terug:
                staat = args.get("state")
                volgende = f"{terug}?{urlencode({'state': staat})}" if staat else terug
                start_response("302 Found", [("Location", volgende)])
                return [b""]
            return json_antwoord("200 OK", {"afgemeld": True})
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"niet gevonden"]

    return app


# The form of the interactive mode: the OAuth parameters travel along as hidden fields.
VELDEN = (
    ("sub", "Subject (sub)", "rita-lokaal"),
    ("given_name", "Voornaam", "Rita"),
    ("family_name", "Achternaam", "Regisseur"),
    ("email", "E-mailadres (mag leeg)", ""),
    ("regierol_rol_3d", "Rollen, gescheiden door spaties", "RegierolRegisseur:0000000097"),
    ("acr", "acr (mag leeg)", ""),
)


def _formulier(args: dict[str, str]) -> str:
    verborgen = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in args.items()
    )
    velden = "".join(
        f'<p><label for="{naam}">{label}</label><br>'
        f'<input id="{naam}" name="{naam}" value="{html.escape(standaard)}" size="50"></p>'
        for naam, label, standaard in VELDEN
    )
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        "<title>Test-provider</title></head><body><main><h1>Test-provider (geen ACM/IDM)</h1>"
        f'<form method="post">{verborgen}{velden}'
        '<button type="submit">Aanmelden bij de test-provider</button></form></main></body></html>'
    )


def _persoon_uit_formulier(form: dict[str, str]) -> dict[str, Any]:
    persoon: dict[str, Any] = {
        naam: form.get(naam, "").strip() for naam, _label, _s in VELDEN if form.get(naam)
    }
    persoon["regierol_rol_3d"] = form.get("regierol_rol_3d", "").split()
    persoon["vo_id"] = f"vo-{persoon.get('sub', '')}"
    return persoon


class _StilleHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


class _ThreadingWSGIServer(WSGIServer):
    daemon_threads = True

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(target=self._handle, args=(request, client_address), daemon=True)
        thread.start()

    def _handle(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


def start_provider(klant: Klant, poort: int = 0, interactief: bool = False) -> Iterator[Provider]:
    """A provider on 127.0.0.1 (a free port by default) for as long as the generator runs."""
    provider = Provider(klant=klant, interactief=interactief)
    app = _app(provider)

    def onder_op(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        pad = environ.get("PATH_INFO", "")
        if not pad.startswith("/op/") and pad != "/op":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"niet gevonden"]
        environ["PATH_INFO"] = pad[3:]
        return app(environ, start_response)

    # Served under /op, as ACM/IDM's issuer https://authenticatie.vlaanderen.be/op.
    httpd = make_server(
        "127.0.0.1",
        poort,
        onder_op,
        server_class=_ThreadingWSGIServer,
        handler_class=_StilleHandler,
    )
    provider.issuer = f"http://127.0.0.1:{httpd.server_port}/op"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        httpd.shutdown()
        httpd.server_close()


def main() -> None:
    """Run the provider in the interactive mode until Ctrl+C (see the module's docstring)."""
    parser = argparse.ArgumentParser(description="Een OpenID Connect-testprovider op 127.0.0.1.")
    parser.add_argument("--poort", type=int, default=8190)
    parser.add_argument("--client-id", default="regierol-lokaal")
    parser.add_argument("--client-secret", default="lokaal-geheim")
    parser.add_argument(
        "--terug",
        default="http://127.0.0.1:8000/accounts/acmidm/terug/",
        help="de redirect URI van het portaal",
    )
    opties = parser.parse_args()
    klant = Klant(opties.client_id, opties.client_secret, [opties.terug])
    for provider in start_provider(klant, poort=opties.poort, interactief=True):
        print("Test-provider draait. Start het portaal met:")
        print(f"  OIDC_ISSUER={provider.issuer}")
        print(f"  OIDC_CLIENT_ID={opties.client_id}")
        print(f"  OIDC_CLIENT_SECRET={opties.client_secret}")
        print("  OIDC_WSE_ORGCODES=OVO000000")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            return


if __name__ == "__main__":
    main()
