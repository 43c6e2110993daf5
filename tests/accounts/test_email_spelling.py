"""One mailbox, one spelling: look-alike addresses neither reach another account nor dodge the
lockout, on PostgreSQL (whose case-insensitive comparison folded them); and one address cannot
spray passwords over many accounts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from applications.accounts.emails import controleer_email, normaliseer_email
from applications.accounts.models import User

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-123"
LANGE_S = "regi\u017fseur@example.org"  # long s
DOTLOZE_I = "reg\u0131sseur@example.org"  # dotless i
BREED = "\uff32\uff25\uff27\uff29\uff33\uff33\uff25\uff35\uff32@example.org"  # full-width
GEBLOKKEERD = "tijdelijk geblokkeerd"


@pytest.fixture
def eigenaar() -> User:
    return UserFactory.create(email="regisseur@example.org")


def _login(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": email, "password": password})


def test_the_bug_was_postgresqls_folding(eigenaar: User) -> None:
    """What made the look-alikes log in: PostgreSQL's UPPER folds them to the real address."""
    assert connection.vendor == "postgresql"
    assert User.objects.filter(email__iexact=DOTLOZE_I).exists()
    assert not User.objects.filter(email=normaliseer_email(DOTLOZE_I)).exists()


@pytest.mark.parametrize("spelling", [LANGE_S, BREED, "Regisseur@EXAMPLE.org "])
def test_spellings_of_the_same_mailbox_reach_its_account(spelling: str, eigenaar: User) -> None:
    antwoord = _login(Client(), spelling)
    assert antwoord.status_code == 302, "logged in"


def test_a_dotless_i_reaches_no_account(eigenaar: User) -> None:
    antwoord = _login(Client(), DOTLOZE_I)
    assert antwoord.status_code == 200
    assert "horen niet bij elkaar" in antwoord.content.decode()


def test_cycling_spellings_does_not_dodge_the_lockout(eigenaar: User, settings: Any) -> None:
    """Five wrong passwords in five spellings lock the account as five in one spelling do."""
    spellingen = ["regisseur@example.org", LANGE_S, BREED, "REGISSEUR@example.org", LANGE_S]
    for spelling in spellingen[: settings.AXES_FAILURE_LIMIT]:
        _login(Client(), spelling, "verkeerd")
    antwoord = _login(Client(), "regisseur@example.org")  # the right password, now too late
    assert antwoord.status_code == 429
    assert GEBLOKKEERD in antwoord.content.decode()


@pytest.mark.parametrize(
    ("invoer", "opgeslagen"),
    [
        (LANGE_S, "regisseur@example.org"),
        (BREED, "regisseur@example.org"),
        ("a@B\u00fccher.be", "a@xn--bcher-kva.be"),
    ],
)
def test_every_account_is_stored_in_one_spelling(invoer: str, opgeslagen: str) -> None:
    nieuw = User.objects.create_user(email=invoer)
    assert User.objects.get(pk=nieuw.pk).email == opgeslagen
    nieuw.delete()
    gebruiker = UserFactory.create(email="x@example.org")
    gebruiker.email = invoer.upper()
    gebruiker.save()
    assert User.objects.get(pk=gebruiker.pk).email == opgeslagen


@pytest.mark.parametrize("adres", [DOTLOZE_I, "jos\u00e9@gemeente.be", "caf\u00e9@x.be"])
def test_a_non_ascii_mailbox_name_is_refused_for_an_account(adres: str) -> None:
    with pytest.raises(ValidationError, match="gewone letters"):
        controleer_email(adres)


def test_an_invitation_to_a_look_alike_of_an_existing_account_is_refused(
    eigenaar: User, beheerder: User, verband: Any
) -> None:
    from ..conftest import client_for

    client = client_for(beheerder)
    antwoord = client.post(
        "/beheer/gebruikers/uitnodigen/",
        {
            "email": LANGE_S,
            "first_name": "Nep",
            "last_name": "Regisseur",
            "rol": "Regisseur",
            "regieverbanden": [verband.pk],
        },
    )
    assert antwoord.status_code == 200
    assert User.objects.filter(email__startswith="regi").count() == 1
    antwoord = client.post(
        "/beheer/gebruikers/uitnodigen/",
        {
            "email": DOTLOZE_I,
            "first_name": "Nep",
            "last_name": "Regisseur",
            "rol": "Regisseur",
            "regieverbanden": [verband.pk],
        },
    )
    assert "gewone letters" in antwoord.content.decode()
    assert User.objects.count() == 2


def test_one_address_spraying_many_accounts_is_locked_out(settings: Any) -> None:
    settings.REGIEROL_LOGIN_ACCOUNTS_PER_ADRES = 4
    slachtoffer = UserFactory.create(email="laatste@example.org")
    for i in range(4):
        assert _login(Client(), f"iemand{i}@example.org", "Zomer2026!").status_code == 200
    antwoord = _login(Client(), slachtoffer.email)  # even the right password
    assert antwoord.status_code == 429
    assert GEBLOKKEERD in antwoord.content.decode()
    andere_plek = Client(REMOTE_ADDR="10.9.9.9")
    assert _login(andere_plek, slachtoffer.email).status_code == 302, "only that address"


def test_colleagues_behind_one_address_who_mistype_once_are_not_locked_out(settings: Any) -> None:
    settings.REGIEROL_LOGIN_ACCOUNTS_PER_ADRES = 4
    collegas = [UserFactory.create(email=f"collega{i}@gemeente.be") for i in range(6)]
    for collega in collegas:
        _login(Client(), collega.email, "typfout")
        assert _login(Client(), collega.email).status_code == 302, collega.email


def test_the_migration_normalises_stored_addresses_and_leaves_a_collision_alone(
    capsys: Any,
) -> None:
    import importlib

    from django.apps import apps

    migratie = importlib.import_module("applications.accounts.migrations.0003_email_normaliseren")
    echt = UserFactory.create(email="regisseur@example.org")
    oud = UserFactory.create(email="x@example.org")
    botsing = UserFactory.create(email="y@example.org")
    # As rows written before this release could be: typed as given.
    User.objects.filter(pk=oud.pk).update(email="Oud@Example.ORG")
    User.objects.filter(pk=botsing.pk).update(email=LANGE_S)

    migratie.normaliseren(apps, None)

    assert User.objects.get(pk=oud.pk).email == "oud@example.org"
    assert User.objects.get(pk=echt.pk).email == "regisseur@example.org"
    assert User.objects.get(pk=botsing.pk).email == LANGE_S, "not merged into another account"
    assert LANGE_S in capsys.readouterr().out
