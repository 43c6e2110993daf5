"""Shared fixtures: the three roles and the healthchecks-style alice/bob/charlie trio.

- `regisseur` (alice): regisseur of `verband`, the owner of what a test looks at;
- `collega` (bob): regisseur of `ander_verband`, a colleague of another regieverband;
- `beoordelaar`, `beheerder`: WSE staff;
- `als_regisseur`, `als_beoordelaar`, `als_beheerder`: a client logged in as each;
- `vreemd_bestuur`: a made-up bestuur in no verband;
- `oidc_provider`: a real OpenID Connect provider on loopback (`tests/oidc_provider.py`), and
  `acmidm`: the portal configured for it, with the provider's misbehaviour reset.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.utils.module_loading import import_string
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.aanvragen.models import Aanvraag
from applications.accounts.models import User
from applications.accounts.tweestaps import vereist_tweestaps
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.core import taken
from applications.oproepen.models import Oproep

from .factories import (
    AanvraagFactory,
    LidmaatschapFactory,
    LokaalBestuurFactory,
    OproepFactory,
    RegieverbandFactory,
    UserFactory,
)
from .oidc_provider import Klant, Provider, start_provider


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say which database the suite runs on (it must be PostgreSQL, as our users run)."""
    if connection.vendor != "postgresql":
        return [f"database: {connection.vendor} (the suite is meant to run on PostgreSQL)"]
    import psycopg2

    try:
        # A direct connection: pytest-django blocks the ORM's until the tests start.
        raw = psycopg2.connect(**connection.get_connection_params())
        with raw, raw.cursor() as cursor:
            cursor.execute("SELECT version()")
            row = cursor.fetchone()
        raw.close()
        version = row[0] if row else "?"
    except psycopg2.Error as exc:  # the header must never stop the run
        version = f"unreachable ({exc.__class__.__name__})"
    return [f"database: {connection.vendor}: {version}"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every transactional test restores the serialized database (reference data, content types).

    One that does not empties every table after itself and lets post_migrate recreate the content
    types; the next serialized test then restores them a second time and fails on a duplicate key.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )


@pytest.fixture(autouse=True)
def worker_na_commit(request: pytest.FixtureRequest) -> Iterator[None]:
    """The worker, played in this process: a task queued with `taken.later` runs when the
    transaction that queued it commits, as the real worker picks it up after the commit (so an
    e-mail lands in `mail.outbox` then). Tests of the queue itself are marked `echte_wachtrij`
    and get the real one: a row in the database that only the worker takes."""
    if request.node.get_closest_marker("echte_wachtrij"):
        yield
        return

    def later(func: str, *args: object) -> None:
        transaction.on_commit(lambda: import_string(func)(*args))

    # Its own patcher: a test's `monkeypatch.undo()` leaves the worker in place.
    with pytest.MonkeyPatch.context() as patcher:
        patcher.setattr(taken, "later", later)
        yield


@pytest.fixture
def verband(db: None) -> Regieverband:
    verband = RegieverbandFactory.create(naam="Sociale Economie Maasland (test)")
    LidmaatschapFactory.create(regieverband=verband, bestuur__nis_code="73107")
    return verband


@pytest.fixture
def ander_verband(db: None) -> Regieverband:
    return RegieverbandFactory.create(naam="Ander verband (test)")


@pytest.fixture
def regisseur(verband: Regieverband) -> User:
    return UserFactory.create(regisseur_van=[verband], email="alice@example.org")


@pytest.fixture
def collega(ander_verband: Regieverband) -> User:
    return UserFactory.create(regisseur_van=[ander_verband], email="bob@example.org")


@pytest.fixture
def beoordelaar(db: None) -> User:
    return UserFactory.create(beoordelaar=True, email="charlie@example.org")


@pytest.fixture
def beheerder(db: None) -> User:
    return UserFactory.create(beheerder=True, email="dana@example.org")


def client_for(user: User | None) -> Client:
    """A client logged in as `user`; WSE staff and beheerders also passed the two-step login."""
    client = Client()
    if user is not None:
        client.force_login(user)
        if vereist_tweestaps(user):
            tweestaps_gegeven(client, user)
    return client


def totp_code(device: TOTPDevice) -> str:
    """The code the device's authenticator app shows now (the test plays the phone)."""
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


def tweestaps_gegeven(client: Client, user: User) -> None:
    """Mark the client's session as having given a valid code of the user's authenticator app."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test-app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _pdf_controle_in_proces(request: pytest.FixtureRequest, settings: Any) -> None:
    """The upload check reads a PDF in this process, not in a child process as in production:
    the child costs some 0.1 s per upload, the suite checks some 800 PDFs (fill_everything uploads
    one per member and required type), and with a child everywhere it took half as long again
    (339 s against 219 s, two workers on two cores).
    The tests of the check itself are marked `pdf_controle_apart` and run it as production does;
    they also show that the child and this process give every file the same verdict."""
    marked = request.node.get_closest_marker("pdf_controle_apart") is not None
    settings.REGIEROL_PDF_CONTROLE_APART = marked


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: what a test kept (a completeness under its
    versions) is not there for the next, whose rolled-back counters may count the same again."""
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """PBKDF2 costs a few hundred milliseconds per user; tests need no strong hashes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    """Uploaded files of a test go to its own temporary directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "applications.core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def oproep(db: None) -> Oproep:
    """An open call (2030-2032, deadline 15 January 2030 23:59:59 Brussels), four priorities."""
    return OproepFactory.create(slug="open-test")


@pytest.fixture
def aanvraag(verband: Regieverband, oproep: Oproep) -> Aanvraag:
    return AanvraagFactory.create(regieverband=verband, oproep=oproep)


@pytest.fixture
def als_regisseur(regisseur: User) -> Client:
    return client_for(regisseur)


@pytest.fixture
def als_beoordelaar(beoordelaar: User) -> Client:
    return client_for(beoordelaar)


@pytest.fixture
def als_beheerder(beheerder: User) -> Client:
    return client_for(beheerder)


@pytest.fixture
def vreemd_bestuur(db: None) -> LokaalBestuur:
    return LokaalBestuurFactory.create(nis_code="99001", naam="Verzonnen Vreemdgem")


@pytest.fixture(autouse=True)
def _dutch() -> Any:
    """Each test starts in Dutch: a request in English must not leave its language behind."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


# The redirect URI the test client's login through ACM/IDM comes back to (registered at the test
# provider, as WSE registers the portal's at ACM/IDM).
ACMIDM_TERUG = "http://testserver/accounts/acmidm/terug/"
# A made-up OVO code for WSE in the tests (OIDC_WSE_ORGCODES).
WSE_ORGCODE = "OVO000000"


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    yield from start_provider(Klant("regierol-test", "test-geheim-123", [ACMIDM_TERUG]))


@pytest.fixture
def acmidm(oidc_provider: Provider, settings: Any) -> Provider:
    """The portal configured for the test provider, the provider behaving, the caches empty."""
    oidc_provider.reset()
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_CLIENT_ID = oidc_provider.klant.client_id
    settings.OIDC_CLIENT_SECRET = oidc_provider.klant.client_secret
    settings.OIDC_WSE_ORGCODES = [WSE_ORGCODE]
    cache.clear()
    return oidc_provider
