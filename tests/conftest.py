"""Shared fixtures: the three roles and the healthchecks-style alice/bob/charlie trio.

- `regisseur` (alice): regisseur of `verband`, the owner of what a test looks at;
- `collega` (bob): regisseur of `ander_verband`, a colleague of another regieverband;
- `beoordelaar`, `beheerder`: WSE staff.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from applications.models import Regieverband, User

from .factories import LidmaatschapFactory, RegieverbandFactory, UserFactory


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say which database the suite runs on (it must be PostgreSQL, as our users run)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 1")
            version = cursor.fetchone()[0]
        connection.close()
    except Exception as exc:  # the header must never stop the run
        version = f"unreachable ({exc.__class__.__name__})"
    return [f"database: {connection.vendor} {version}"]


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
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
