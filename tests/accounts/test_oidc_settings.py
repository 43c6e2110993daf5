"""The settings of the login through ACM/IDM, read from the environment at start-up (in a fresh
interpreter, as a server starts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import json; from regierol import settings as s; print(json.dumps({"
    "'scopes': s.OIDC_SCOPES, 'claim': s.OIDC_ROLE_CLAIM, 'issuer': s.OIDC_ISSUER, "
    "'rollen': [s.OIDC_ROL_REGISSEUR, s.OIDC_ROL_BEOORDELAAR, s.OIDC_ROL_BEHEERDER], "
    "'form_action': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'], "
    "'wachtwoord': s.REGIEROL_WACHTWOORD_VOOR_REGISSEURS}))"
)


def _settings(**env: str) -> dict:
    omgeving = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("OIDC_") and not key.startswith("REGIEROL_WACHTWOORD")
    }
    omgeving.update({"DJANGO_SECRET_KEY": "x", "DJANGO_DEBUG": "0", **env})
    uit = subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env=omgeving,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(uit.stdout)


def test_the_defaults_the_readme_documents():
    waarden = _settings()
    assert waarden["issuer"] == ""
    assert waarden["claim"] == "regierol_rol_3d"
    assert waarden["scopes"] == ["openid", "profile", "vo", "regierol_rol_3d"]
    assert waarden["rollen"] == ["RegierolRegisseur", "RegierolBeoordelaar", "RegierolBeheerder"]
    assert waarden["form_action"] == ["'self'"]
    assert waarden["wachtwoord"] is True


def test_with_acmidm_configured():
    waarden = _settings(
        OIDC_ISSUER="https://authenticatie.vlaanderen.be/op/",
        OIDC_ROLE_CLAIM="andere_rol_3d",
        REGIEROL_WACHTWOORD_VOOR_REGISSEURS="0",
    )
    assert waarden["issuer"] == "https://authenticatie.vlaanderen.be/op"
    assert waarden["scopes"] == ["openid", "profile", "vo", "andere_rol_3d"]
    # Logging out redirects a form POST to the provider: the browser must allow it.
    assert waarden["form_action"] == ["'self'", "https://authenticatie.vlaanderen.be"]
    assert waarden["wachtwoord"] is False


def test_the_deploy_check_wants_https_and_a_secret(settings):
    from applications.accounts.checks import oidc_in_productie

    settings.OIDC_ISSUER = ""
    assert oidc_in_productie() == []
    settings.OIDC_ISSUER = "http://127.0.0.1:8190/op"
    settings.OIDC_CLIENT_ID = "regierol"
    settings.OIDC_CLIENT_SECRET = ""
    assert {m.id for m in oidc_in_productie()} == {"regierol.W002", "regierol.W003"}
    settings.OIDC_ISSUER = "https://authenticatie.vlaanderen.be/op"
    settings.OIDC_CLIENT_SECRET = "geheim"
    assert oidc_in_productie() == []
