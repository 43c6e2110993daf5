"""Aanvragen of two verbanden, and API tokens of every kind: alice's (regisseur of `verband`),
bob's (another verband), one of WSE's systems, and expired, revoked and narrow ones."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from applications.aanvragen.models import Aanvraag, Actie
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.models import User
from applications.api import services
from applications.api.constants import Scope
from applications.api.models import ApiToken
from applications.besturen.models import Regieverband
from applications.oproepen.models import Oproep
from tests.factories import AanvraagFactory
from tests.opendata.conftest import beslis

ALLES = list(Scope.values)


@dataclass
class Api:
    oproep: Oproep
    eigen: Aanvraag  # alice's verband, approved, with actions
    ander: Aanvraag  # bob's verband, submitted
    alice: str
    bob: str
    systeem: str
    verlopen: str
    ingetrokken: str
    alleen_oproepen: str


def maak(by: User, voor: User | None, scopes: list[str] | None = None, dagen: int = 30) -> str:
    _token, tekst = services.token_maken(
        by=by,
        voor=voor,
        naam="Test",
        scopes=scopes or ALLES,
        verloopt_op=timezone.now() + datetime.timedelta(days=dagen),
    )
    return tekst


def vraag(token: str | None, url: str, **headers: str) -> Any:
    """GET with the token (if any) and further headers (`if_none_match="..."`)."""
    koppen = {k.replace("_", "-"): v for k, v in headers.items()}
    if token:
        koppen["Authorization"] = f"Bearer {token}"
    return Client().get(url, headers=koppen)


@pytest.fixture
def api(
    oproep: Oproep,
    verband: Regieverband,
    ander_verband: Regieverband,
    regisseur: User,
    collega: User,
    beheerder: User,
    beoordelaar: User,
) -> Api:
    eigen = AanvraagFactory.create(
        regieverband=verband, oproep=oproep, contact_naam="Geheim Contact"
    )
    lr1, lr2 = oproep.prioriteiten.all()[:2]
    for jaar, prioriteit, budget in (
        (2030, lr1, "1000.00"),
        (2030, lr2, "2500.50"),
        (2031, lr1, "4000.00"),
    ):
        Actie.objects.create(
            aanvraag=eigen, prioriteit=prioriteit, jaar=jaar, titel="Actie", budget=Decimal(budget)
        )
    beslis(eigen, AanvraagStatus.GOEDGEKEURD, {2030: "3000", 2031: "4000", 2032: "0"}, beoordelaar)
    ander = AanvraagFactory.create(regieverband=ander_verband, oproep=oproep, ingediend=True)
    eigen.refresh_from_db()
    verlopen = maak(regisseur, regisseur)
    ApiToken.objects.filter(gebruiker=regisseur).update(
        verloopt_op=timezone.now() - datetime.timedelta(seconds=1)
    )
    ingetrokken_tekst = maak(regisseur, regisseur)
    ingetrokken = ApiToken.objects.get(prefix=ingetrokken_tekst.split("_")[1])
    services.token_intrekken(token=ingetrokken, by=regisseur)
    return Api(
        oproep=oproep,
        eigen=eigen,
        ander=ander,
        alice=maak(regisseur, regisseur),
        bob=maak(collega, collega),
        systeem=maak(beheerder, None),
        verlopen=verlopen,
        ingetrokken=ingetrokken_tekst,
        alleen_oproepen=maak(regisseur, regisseur, [Scope.OPROEPEN]),
    )
