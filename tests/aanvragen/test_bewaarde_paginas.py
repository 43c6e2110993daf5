"""The pages of an aanvraag kept per version (verband, teksten, meerjarenplan, begroting,
overzicht): on a
GET their body comes from the cache as long as nothing they show changed, whoever changed it,
while the deadline band and the CSRF tokens are made for each request
(`aanvragen.pages.aanvraag_page_context(bewaar=True)`, `{% bewaard %}`)."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.aanvragen import pages
from applications.aanvragen.models import (
    Aanvraag,
    Actie,
    Bijlage,
    Indiening,
    Statuswijziging,
    Verlenging,
)
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import aanvraag_submit
from applications.aanvragen.versietellers import REFERENTIE, onderdelen
from applications.accounts.models import User
from applications.beoordeling.models import Vraag
from applications.besturen import models as besturen_models
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.oproepen.models import Oproep
from tests.aanvraag_helpers import fill_everything, worker_maakt_pdfs
from tests.conftest import client_for
from tests.factories import ActieFactory, LokaalBestuurFactory, UserFactory

pytestmark = pytest.mark.django_db

BEWAARDE_PAGINAS = ["verband", "teksten", "meerjarenplan", "begroting", "overzicht"]

# Read for every request, kept or not: the session, the user with their roles and second factor,
# the verbanden they direct (who may see and change what), and the two counters.
PER_VERZOEK = (
    'FROM "django_session"',
    'FROM "accounts_user" WHERE "accounts_user"."id" =',
    'FROM "auth_group" INNER JOIN "accounts_user_groups"',
    'FROM "otp_',
    '"besturen_regieverband_regisseurs"."user_id" =',
    'FROM "beheer_onderhoudsmelding"',  # the maintenance notice in the page's frame
)


# What the two counters follow. Users are read for their names only (who submitted), and a
# change of name raises the reference version (`versietellers.NAAM_ANDERS`).
GEVOLGD = {
    "aanvragen_aanvraag",
    "aanvragen_referentieversie",
    "accounts_user",
    *onderdelen(),
    *REFERENTIE,
}


def _pad(aanvraag: Aanvraag, pagina: str) -> str:
    if pagina == "overzicht":
        return f"/aanvragen/{aanvraag.pk}/"
    return f"/aanvragen/{aanvraag.pk}/{pagina}/"


def _html(client: Client, pad: str) -> str:
    response = client.get(pad)
    assert response.status_code == 200
    return response.content.decode()


def _eigen_queries(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if not any(p in q["sql"] for p in PER_VERZOEK)
    ]


@pytest.mark.parametrize("pagina", BEWAARDE_PAGINAS)
def test_a_kept_page_reads_only_tables_the_counters_follow(
    als_regisseur: Client, aanvraag: Aanvraag, pagina: str
) -> None:
    """Drawn anew, a kept page may read only what raises its key; else it would show stale data
    until something else changed. Every part shows: an action, an open question, a status step,
    an extension."""
    ActieFactory.create(aanvraag=aanvraag)
    Vraag.objects.create(aanvraag=aanvraag, tekst="Een open vraag?")
    Verlenging.objects.create(aanvraag=aanvraag, tot=aanvraag.oproep.deadline, reden="Ziekte")
    Aanvraag.objects.filter(pk=aanvraag.pk).update(status=AanvraagStatus.WIJZIGINGEN_GEVRAAGD)
    Statuswijziging.objects.create(
        aanvraag=aanvraag,
        van=AanvraagStatus.INGEDIEND,
        naar=AanvraagStatus.WIJZIGINGEN_GEVRAAGD,
        reden="Verduidelijk.",
    )
    with CaptureQueriesContext(connection) as queries:
        _html(als_regisseur, _pad(aanvraag, pagina))
    gelezen = {
        tabel
        for sql in _eigen_queries(queries)
        for tabel in re.findall(r'(?:FROM|JOIN) "([a-z_]+)"', sql)
    }
    assert "aanvragen_aanvraag" in gelezen
    assert gelezen <= GEVOLGD, sorted(gelezen - GEVOLGD)


def test_the_kept_overview_of_a_submitted_aanvraag_reads_only_followed_tables(
    als_regisseur: Client, aanvraag: Aanvraag, regisseur: User
) -> None:
    """The overview of a submitted aanvraag also shows its sealed versions, the state of their
    PDFs and who submitted them (by name)."""
    aanvraag_submit(aanvraag=fill_everything(aanvraag, regisseur), by=regisseur)
    with CaptureQueriesContext(connection) as queries:
        html = _html(als_regisseur, _pad(aanvraag, "overzicht"))
    assert "Wordt verzegeld" in html and str(regisseur) in html
    gelezen = {
        tabel
        for sql in _eigen_queries(queries)
        for tabel in re.findall(r'(?:FROM|JOIN) "([a-z_]+)"', sql)
    }
    assert {"aanvragen_indiening", "accounts_user"} <= gelezen
    assert gelezen <= GEVOLGD, sorted(gelezen - GEVOLGD)


def test_the_kept_overview_follows_the_worker_and_a_renamed_user(
    als_regisseur: Client, aanvraag: Aanvraag, regisseur: User
) -> None:
    aanvraag_submit(aanvraag=fill_everything(aanvraag, regisseur), by=regisseur)
    pad = _pad(aanvraag, "overzicht")
    html = _html(als_regisseur, pad)
    assert "Wordt verzegeld" in html and "Versie 1 downloaden" not in html

    assert len(worker_maakt_pdfs(aanvraag)) == 1  # the worker, in another process
    html = _html(als_regisseur, pad)
    assert "Wordt verzegeld" not in html and "Versie 1 downloaden" in html

    User.objects.filter(pk=regisseur.pk).update(first_name="Hernoemde", last_name="Regisseur")
    assert "door Hernoemde Regisseur" in _html(als_regisseur, pad)

    # A login writes the user too, but changes no name: what is kept stays kept.
    User.objects.filter(pk=regisseur.pk).update(last_login=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        _html(als_regisseur, pad)
    assert not any('FROM "aanvragen_indiening"' in q["sql"] for q in queries.captured_queries)

    Bijlage.objects.filter(aanvraag=aanvraag).update(naam="hernoemd-bestand.pdf")
    assert "hernoemd-bestand.pdf" in _html(als_regisseur, pad)
    assert Indiening.objects.filter(aanvraag=aanvraag).count() == 1


@pytest.mark.parametrize("pagina", BEWAARDE_PAGINAS)
def test_a_kept_page_is_read_with_one_query_of_its_own(
    als_regisseur: Client, aanvraag: Aanvraag, pagina: str
) -> None:
    ActieFactory.create(aanvraag=aanvraag)
    eerst = _html(als_regisseur, _pad(aanvraag, pagina))
    with CaptureQueriesContext(connection) as queries:
        daarna = _html(als_regisseur, _pad(aanvraag, pagina))
    assert len(_eigen_queries(queries)) == 1, _eigen_queries(queries)  # the two counters
    # The same page, but for its CSRF tokens.
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert token.sub("", eerst) == token.sub("", daarna)


def test_every_request_gets_its_own_csrf_token_and_a_kept_form_saves(
    als_regisseur: Client, aanvraag: Aanvraag
) -> None:
    pad = _pad(aanvraag, "teksten")
    per_pagina = [
        set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', _html(als_regisseur, pad)))
        for _ in range(3)
    ]
    # One token on each page (its forms share it), and another one on every next page.
    assert all(len(tokens) == 1 for tokens in per_pagina)
    assert len(set.union(*per_pagina)) == 3

    streng = Client(enforce_csrf_checks=True)
    streng.cookies = als_regisseur.cookies
    _html(streng, pad)  # kept now
    html = _html(streng, pad)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None
    versie = re.search(r'name="versie" value="(\d+)"', html)
    assert versie is not None
    response = streng.post(
        pad,
        {
            "csrfmiddlewaretoken": token.group(1),
            "versie": versie.group(1),
            "omgevingsanalyse": "Bewaard formulier, vers token.",
            "visie": "",
        },
    )
    assert response.status_code == 302
    assert "Bewaard formulier, vers token." in _html(streng, pad)


def test_a_kept_page_shows_what_changes_past_the_services(
    als_regisseur: Client, aanvraag: Aanvraag
) -> None:
    pad = _pad(aanvraag, "teksten")
    assert "Een vraag van WSE?" not in _html(als_regisseur, pad)

    vraag = Vraag.objects.create(aanvraag=aanvraag, tekst="Een vraag van WSE?")
    assert "Een vraag van WSE?" in _html(als_regisseur, pad)
    Vraag.objects.filter(pk=vraag.pk).update(antwoord="Ons antwoord.")
    assert "Een vraag van WSE?" not in _html(als_regisseur, pad)

    later = aanvraag.oproep.deadline + datetime.timedelta(days=10)
    Verlenging.objects.create(aanvraag=aanvraag, tot=later, reden="Overmacht")
    html = _html(als_regisseur, pad)
    assert "uitstel toegekend door WSE" in html
    assert timezone.localtime(later).strftime("%H:%M:%S") in html

    Aanvraag.objects.filter(pk=aanvraag.pk).update(
        status=AanvraagStatus.WIJZIGINGEN_GEVRAAGD, wijzigingen_tot=later
    )
    Statuswijziging.objects.create(
        aanvraag=aanvraag,
        van=AanvraagStatus.INGEDIEND,
        naar=AanvraagStatus.WIJZIGINGEN_GEVRAAGD,
        reden="Verduidelijk actie 3.",
    )
    assert "Verduidelijk actie 3." in _html(als_regisseur, pad)

    Oproep.objects.filter(pk=aanvraag.oproep_id).update(naam="Hernoemde oproep")
    Regieverband.objects.filter(pk=aanvraag.regieverband_id).update(naam="Hernoemd verband")
    html = _html(als_regisseur, pad)
    assert "Hernoemde oproep" in html and "Hernoemd verband" in html


def test_the_plan_and_budget_follow_an_action_changed_behind_the_portal(
    als_regisseur: Client, aanvraag: Aanvraag
) -> None:
    actie = ActieFactory.create(aanvraag=aanvraag, titel="Oude titel")
    pad = _pad(aanvraag, "meerjarenplan")
    assert "Oude titel" in _html(als_regisseur, pad)
    assert "12.345" not in _html(als_regisseur, _pad(aanvraag, "begroting"))
    Actie.objects.filter(pk=actie.pk).update(titel="Titel uit een import", budget=12345)
    html = _html(als_regisseur, pad)
    assert "Titel uit een import" in html and "Oude titel" not in html
    assert "12.345" in _html(als_regisseur, _pad(aanvraag, "begroting"))


def test_each_viewer_gets_their_own_kept_page(
    als_regisseur: Client, als_beoordelaar: Client, aanvraag: Aanvraag, verband: Regieverband
) -> None:
    pad = _pad(aanvraag, "teksten")
    van_regisseur = _html(als_regisseur, pad)
    assert "Opslaan als concept" in van_regisseur
    tweede = UserFactory.create(regisseur_van=[verband], email="tweede@example.org")
    van_tweede = _html(client_for(tweede), pad)
    assert f'data-gebruiker="{tweede.pk}"' in van_tweede
    assert f'data-gebruiker="{tweede.pk}"' not in van_regisseur

    van_wse = _html(als_beoordelaar, pad)
    assert "Opslaan als concept" not in van_wse
    assert "Naar de beoordeling" in van_wse and "Naar de beoordeling" not in van_regisseur

    # The regisseur's kept page is theirs alone, and gone for them when they are no longer one.
    verband.regisseurs.remove(User.objects.get(email="alice@example.org"))
    assert als_regisseur.get(pad).status_code == 404


def test_a_kept_page_closes_when_the_deadline_passes(
    als_regisseur: Client, aanvraag: Aanvraag, monkeypatch: pytest.MonkeyPatch
) -> None:
    pad = _pad(aanvraag, "teksten")
    assert "Opslaan als concept" in _html(als_regisseur, pad)
    na_de_deadline = aanvraag.oproep.deadline + datetime.timedelta(seconds=1)
    monkeypatch.setattr(pages, "timezone", SimpleNamespace(now=lambda: na_de_deadline))
    html = _html(als_regisseur, pad)
    assert "Opslaan als concept" not in html
    assert "De termijn is voorbij" in html


def test_the_time_left_is_counted_for_each_request(
    als_regisseur: Client, aanvraag: Aanvraag, monkeypatch: pytest.MonkeyPatch
) -> None:
    pad = _pad(aanvraag, "teksten")
    deadline = aanvraag.oproep.deadline
    for dagen in (10, 3):
        nu = deadline - datetime.timedelta(days=dagen, minutes=1)
        monkeypatch.setattr(pages, "timezone", SimpleNamespace(now=lambda nu=nu: nu))
        assert f"Nog {dagen} dagen" in _html(als_regisseur, pad)


def test_the_kept_page_is_in_the_language_of_the_request(
    als_regisseur: Client, aanvraag: Aanvraag
) -> None:
    pad = _pad(aanvraag, "meerjarenplan")
    assert "Actie toevoegen" in _html(als_regisseur, pad)
    als_regisseur.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = _html(als_regisseur, pad)
    assert "Add action" in html and "Actie toevoegen" not in html


def test_made_up_query_parameters_share_the_kept_page(
    als_regisseur: Client, aanvraag: Aanvraag
) -> None:
    pad = _pad(aanvraag, "teksten")
    _html(als_regisseur, pad)
    with CaptureQueriesContext(connection) as queries:
        _html(als_regisseur, f"{pad}?x=1")
    assert len(_eigen_queries(queries)) == 1


def test_a_page_with_refused_input_is_never_kept(als_regisseur: Client, aanvraag: Aanvraag) -> None:
    """After a refused POST the page shows the user's input and errors, never a kept page; the
    next GET shows what is stored."""
    pad = _pad(aanvraag, "teksten")
    _html(als_regisseur, pad)
    response = als_regisseur.post(pad, {"versie": "x", "omgevingsanalyse": "Mijn invoer"})
    assert response.status_code == 200
    assert "Mijn invoer" in response.content.decode()
    assert "Mijn invoer" not in _html(als_regisseur, pad)


def test_the_tag_keeps_nothing_without_a_key_and_never_keeps_a_token() -> None:
    sjabloon = Template(
        "{% load bewaren %}{% bewaard sleutel 'deel' %}{{ tekst }} {% csrf_token %}{% endbewaard %}"
    )
    zonder = [sjabloon.render(Context({"sleutel": None, "tekst": t})) for t in ("a", "b")]
    assert [z.split()[0] for z in zonder] == ["a", "b"]
    met = [
        sjabloon.render(Context({"sleutel": "k", "tekst": t, "csrf_token": f"token-{t}"}))
        for t in ("a", "b")
    ]
    # The kept text is the first one's; each rendering has its own token.
    assert met[0].startswith("a ") and met[1].startswith("a ")
    assert 'value="token-a"' in met[0] and 'value="token-b"' in met[1]
    # Without a token (no CSRF middleware) no field, as {% csrf_token %} itself renders then.
    zonder_token = sjabloon.render(Context({"sleutel": "k", "tekst": "c"}))
    assert zonder_token.strip() == "a"


def test_a_kept_member_list_turns_to_the_merger_on_its_day(
    als_regisseur: Client,
    aanvraag: Aanvraag,
    verband: Regieverband,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A merged bestuur is named "vanaf <date>" before the merger and "sinds <date>" from that
    day, while nothing in the database changes at midnight: the day is part of the key."""
    lid = LokaalBestuur.objects.get(lidmaatschappen__regieverband=verband)
    opvolger = LokaalBestuurFactory.create(nis_code="99002", naam="Fusiegem")
    LokaalBestuur.objects.filter(pk=lid.pk).update(
        geldig_tot=datetime.date(2029, 12, 31), opvolger=opvolger
    )
    for dag, woord in (
        (datetime.date(2029, 12, 31), "vanaf"),
        (datetime.date(2030, 1, 1), "sinds"),
    ):
        middag = timezone.make_aware(datetime.datetime.combine(dag, datetime.time(12)))
        monkeypatch.setattr(pages, "timezone", SimpleNamespace(now=lambda m=middag: m))
        monkeypatch.setattr(besturen_models, "timezone", SimpleNamespace(localdate=lambda d=dag: d))
        for pagina in ("verband", "overzicht"):
            html = _html(als_regisseur, _pad(aanvraag, pagina))
            assert f"{woord} 1 januari 2030 deel van Fusiegem" in html, (pagina, dag)


def test_a_superuser_without_the_group_is_a_beheerder_in_the_key(
    aanvraag: Aanvraag, verband: Regieverband
) -> None:
    gebruiker = UserFactory.create(regisseur_van=[verband], email="super@example.org")
    User.objects.filter(pk=gebruiker.pk).update(is_superuser=True)
    gebruiker.refresh_from_db()
    client = client_for(gebruiker)
    pad = _pad(aanvraag, "teksten")
    assert "Naar de beoordeling" in _html(client, pad)
    User.objects.filter(pk=gebruiker.pk).update(is_superuser=False)
    assert "Naar de beoordeling" not in _html(client, pad)
