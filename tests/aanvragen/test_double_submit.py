"""A double click on "Indienen", or two tabs: one submission, one e-mail, and the second request
gets the overview saying "al ingediend", on PostgreSQL and on the demo's SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from applications.aanvragen.models import Aanvraag
from applications.accounts.models import User

from ..aanvraag_helpers import fill_everything
from ..conftest import client_for

HIER = Path(__file__).resolve().parent


def _wat_kreeg(antwoord: Any) -> str:
    tekst = antwoord.content.decode()
    assert antwoord.status_code == 200, antwoord.status_code
    if "Uw aanvraag is ingediend" in tekst:
        return "ingediend"
    if "Deze aanvraag is al ingediend" in tekst:
        return "al ingediend"
    return tekst


@pytest.mark.django_db
def test_a_second_click_after_the_first_gets_al_ingediend(
    aanvraag: Aanvraag, regisseur: User, django_capture_on_commit_callbacks: Any
) -> None:
    fill_everything(aanvraag, regisseur)
    client = client_for(regisseur)
    url = f"/aanvragen/{aanvraag.pk}/indienen/"
    with django_capture_on_commit_callbacks(execute=True):
        eerste = client.post(url, {"mandaat": "on"}, follow=True)
        tweede = client.post(url, {"mandaat": "on"}, follow=True)
    assert [_wat_kreeg(eerste), _wat_kreeg(tweede)] == ["ingediend", "al ingediend"]
    assert aanvraag.indieningen.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_submits_at_the_same_moment_on_postgresql(aanvraag: Aanvraag, regisseur: User) -> None:
    assert connection.vendor == "postgresql"
    fill_everything(aanvraag, regisseur)
    barrier = threading.Barrier(2)
    uitkomsten: list[str] = []

    def indienen() -> None:
        try:
            client = client_for(regisseur)
            barrier.wait()
            uitkomsten.append(
                _wat_kreeg(
                    client.post(
                        f"/aanvragen/{aanvraag.pk}/indienen/", {"mandaat": "on"}, follow=True
                    )
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=indienen) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(uitkomsten) == ["al ingediend", "ingediend"]
    assert aanvraag.indieningen.count() == 1
    assert len(mail.outbox) == 1


def test_two_submits_at_the_same_moment_on_sqlite(tmp_path: Path) -> None:
    """The demo's database: without the write lock taken at the start of each transaction the
    second request failed with "database is locked" (500)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    uit = subprocess.run(
        [sys.executable, str(HIER / "dubbel_indienen_sqlite.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert uit.returncode == 0, uit.stderr[-3000:]
    resultaat = json.loads(uit.stdout.strip().splitlines()[-1])
    uitkomsten = sorted(
        ("ingediend" if u["ingediend"] else "al ingediend" if u["al_ingediend"] else str(u))
        for u in resultaat["uitkomsten"]
    )
    assert uitkomsten == ["al ingediend", "ingediend"], resultaat
    assert all(u["status"] == 200 for u in resultaat["uitkomsten"]), resultaat
    assert resultaat["indieningen"] == 1
    assert resultaat["berichten"] == 1, "one confirmation e-mail queued"
