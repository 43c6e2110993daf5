"""The audit log (issue 7): every change in /beheer/ and every download of an aanvraag's PDF or
attachment by WSE leaves one line saying who, when and what; nothing else does, no secret goes in,
and beheerders read the log in the admin without being able to change it."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from applications.aanvragen.models import Aanvraag, Bijlage, Indiening
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import aanvraag_submit, indiening_filename
from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.audit.models import Auditregel
from applications.audit.services import onderwerp_velden
from applications.beoordeling.services import aanvraag_decide, aanvraag_take
from applications.besturen.models import LokaalBestuur, Regieverband, Trekkerwissel
from applications.oproepen.models import Oproep

from ..aanvraag_helpers import PASSWORD, fill_everything, worker_maakt_pdfs
from ..conftest import client_for
from ..factories import AanvraagFactory, LidmaatschapFactory, LokaalBestuurFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/accounts/uitnodiging/([A-Za-z0-9_-]+)/")
NIEUW_WACHTWOORD = "Nieuw-Geheim-Wachtwoord-8841"


def _enige_regel(voor: datetime.datetime) -> Auditregel:
    """The one line in the log, written between `voor` and now."""
    regels = list(Auditregel.objects.all())
    assert len(regels) == 1, [str(r) for r in regels]
    regel = regels[0]
    assert voor <= regel.tijdstip <= timezone.now()
    return regel


def _zonder_geheimen(regel: Auditregel, *geheimen: str) -> None:
    tekst = json.dumps(regel.gegevens) + regel.omschrijving + regel.pad
    assert "csrfmiddlewaretoken" not in tekst
    for geheim in geheimen:
        assert geheim not in tekst


# --- Changes on the portal's own beheer pages ----------------------------------------------------


@dataclass(frozen=True)
class Wijziging:
    """A change on a beheer page: the request, what it names in the log, and its effect."""

    url: str
    data: dict[str, str]
    actie: str
    gelukt: Callable[[], bool]


def _uitnodigen(beheerder: User, verband: Regieverband) -> Wijziging:
    return Wijziging(
        "/beheer/gebruikers/uitnodigen/",
        {
            "email": "Nieuw.Persoon@Gemeente.be",
            "first_name": "Nina",
            "last_name": "Nieuw",
            "rol": Rol.REGISSEUR.value,
            "regieverbanden": str(verband.pk),
        },
        "beheer_uitnodigen",
        lambda: User.objects.filter(email="nieuw.persoon@gemeente.be").exists(),
    )


def _opnieuw_uitnodigen(beheerder: User, verband: Regieverband) -> Wijziging:
    zonder_wachtwoord = User.objects.create_user("zonder@example.org")
    return Wijziging(
        f"/beheer/gebruikers/{zonder_wachtwoord.pk}/uitnodiging/",
        {},
        "beheer_uitnodiging_opnieuw",
        lambda: zonder_wachtwoord.uitnodigingen.exists(),
    )


def _deactiveren(beheerder: User, verband: Regieverband) -> Wijziging:
    ander = UserFactory.create(email="ander@example.org")
    return Wijziging(
        f"/beheer/gebruikers/{ander.pk}/deactiveren/",
        {},
        "beheer_gebruiker_deactiveren",
        lambda: not User.objects.get(pk=ander.pk).is_active,
    )


def _heractiveren(beheerder: User, verband: Regieverband) -> Wijziging:
    ander = UserFactory.create(email="ander@example.org", is_active=False)
    return Wijziging(
        f"/beheer/gebruikers/{ander.pk}/heractiveren/",
        {},
        "beheer_gebruiker_heractiveren",
        lambda: User.objects.get(pk=ander.pk).is_active,
    )


def _lid_toevoegen(beheerder: User, verband: Regieverband) -> Wijziging:
    LokaalBestuurFactory.create(nis_code="90001", naam="Verzonnengem")
    return Wijziging(
        f"/beheer/regieverbanden/{verband.pk}/leden/toevoegen/",
        {"lid-bestuur": "90001", "lid-van": "2026-01-01"},
        "beheer_lid_toevoegen",
        lambda: verband.lidmaatschappen.filter(bestuur__nis_code="90001").exists(),
    )


def _lid_beeindigen(beheerder: User, verband: Regieverband) -> Wijziging:
    lid = verband.lidmaatschappen.get()
    return Wijziging(
        f"/beheer/regieverbanden/{verband.pk}/leden/beeindigen/",
        {"einde-lidmaatschap": str(lid.pk), "einde-tot": "2025-12-31"},
        "beheer_lid_beeindigen",
        lambda: verband.lidmaatschappen.get().tot == datetime.date(2025, 12, 31),
    )


def _trekker_wijzigen(beheerder: User, verband: Regieverband) -> Wijziging:
    bestuur = verband.lidmaatschappen.get().bestuur
    return Wijziging(
        f"/beheer/regieverbanden/{verband.pk}/trekker/",
        {"trekker-trekker": str(bestuur.pk), "trekker-vanaf": timezone.localdate().isoformat()},
        "beheer_trekker",
        lambda: Regieverband.objects.get(pk=verband.pk).trekker == bestuur,
    )


def _trekker_toepassen(beheerder: User, verband: Regieverband) -> Wijziging:
    bestuur = verband.lidmaatschappen.get().bestuur
    Trekkerwissel.objects.create(
        regieverband=verband,
        trekker=bestuur,
        vanaf=timezone.localdate() - datetime.timedelta(days=1),
        geregistreerd_door=beheerder,
    )
    return Wijziging(
        f"/beheer/regieverbanden/{verband.pk}/trekker/toepassen/",
        {},
        "beheer_trekker_toepassen",
        lambda: Regieverband.objects.get(pk=verband.pk).trekker == bestuur,
    )


BEHEERPAGINAS = {
    "uitnodigen": _uitnodigen,
    "opnieuw uitnodigen": _opnieuw_uitnodigen,
    "deactiveren": _deactiveren,
    "heractiveren": _heractiveren,
    "lid toevoegen": _lid_toevoegen,
    "lid beëindigen": _lid_beeindigen,
    "trekker wijzigen": _trekker_wijzigen,
    "trekker toepassen": _trekker_toepassen,
}


@pytest.mark.parametrize("pagina", BEHEERPAGINAS)
def test_each_beheer_change_leaves_one_line_with_who_when_and_what(
    pagina, beheerder, verband, mailoutbox, django_capture_on_commit_callbacks
):
    wijziging = BEHEERPAGINAS[pagina](beheerder, verband)
    voor = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(beheerder).post(wijziging.url, wijziging.data)
    assert response.status_code == 302
    assert wijziging.gelukt()

    regel = _enige_regel(voor)
    assert regel.soort == Auditregel.Soort.BEHEER
    assert regel.gebruiker == beheerder
    assert regel.gebruiker_email == "dana@example.org"
    assert regel.ip_adres == "127.0.0.1"
    assert regel.actie == wijziging.actie
    assert regel.pad == wijziging.url
    assert regel.gegevens["formulier"] == wijziging.data
    # Invitation links that went out by e-mail are nowhere in the log.
    tokens = [m.group(1) for mail in mailoutbox if (m := LINK.search(str(mail.body)))]
    assert len(tokens) == (1 if "uitnodigen" in pagina else 0)
    _zonder_geheimen(regel, *tokens)


def test_the_line_names_the_object_of_the_url(beheerder, verband):
    wijziging = _deactiveren(beheerder, verband)
    client_for(beheerder).post(wijziging.url)
    ander = User.objects.get(email="ander@example.org")
    regel = Auditregel.objects.get()
    assert regel.gegevens["parameters"] == {"pk": str(ander.pk)}
    assert regel.omschrijving == f"pk={ander.pk}"
    # Readable: who or what, not only its number.
    assert regel.onderwerp == f"Gebruiker {ander}"
    assert (regel.onderwerp_type, regel.onderwerp_id) == ("accounts.user", ander.pk)


def test_a_verband_page_names_the_verband(beheerder, verband):
    lid = verband.lidmaatschappen.get()
    client_for(beheerder).post(
        f"/beheer/regieverbanden/{verband.pk}/leden/beeindigen/",
        {"einde-lidmaatschap": str(lid.pk), "einde-tot": "2030-12-31"},
    )
    regel = Auditregel.objects.get()
    assert regel.onderwerp == f"Regieverband {verband.naam}"


# --- Posts that change nothing leave no line ------------------------------------------------------


def _ongeldig_uitnodigen(beheerder: User, verband: Regieverband) -> tuple[str, dict[str, str]]:
    return "/beheer/gebruikers/uitnodigen/", {"email": "geen-adres", "rol": Rol.REGISSEUR.value}


def _ongeldig_lid(beheerder: User, verband: Regieverband) -> tuple[str, dict[str, str]]:
    return (
        f"/beheer/regieverbanden/{verband.pk}/leden/toevoegen/",
        {"lid-bestuur": "73107", "lid-van": "2026-02-01"},  # already a member
    )


def _ongeldig_einde(beheerder: User, verband: Regieverband) -> tuple[str, dict[str, str]]:
    lid = verband.lidmaatschappen.get()
    return (
        f"/beheer/regieverbanden/{verband.pk}/leden/beeindigen/",
        {"einde-lidmaatschap": str(lid.pk), "einde-tot": "1 januari"},
    )


def _ongeldig_trekker(beheerder: User, verband: Regieverband) -> tuple[str, dict[str, str]]:
    bestuur = verband.lidmaatschappen.get().bestuur
    return (
        f"/beheer/regieverbanden/{verband.pk}/trekker/",
        {"trekker-trekker": str(bestuur.pk), "trekker-vanaf": "2019-06-01"},  # not yet a member
    )


@pytest.mark.parametrize(
    "ongeldig", [_ongeldig_uitnodigen, _ongeldig_lid, _ongeldig_einde, _ongeldig_trekker]
)
def test_a_form_with_errors_leaves_no_line(ongeldig, beheerder, verband):
    url, data = ongeldig(beheerder, verband)
    response = client_for(beheerder).post(url, data)
    assert response.status_code in (200, 400)
    assert not Auditregel.objects.exists()


def _eigen_account(beheerder: User) -> str:
    return f"/beheer/gebruikers/{beheerder.pk}/deactiveren/"


def _al_actief(beheerder: User) -> str:
    ander = UserFactory.create(email="ander@example.org")
    return f"/beheer/gebruikers/{ander.pk}/heractiveren/"


def _heeft_wachtwoord(beheerder: User) -> str:
    ander = UserFactory.create(email="ander@example.org")
    return f"/beheer/gebruikers/{ander.pk}/uitnodiging/"


def _niets_toe_te_passen(beheerder: User) -> str:
    verband = Regieverband.objects.get()
    return f"/beheer/regieverbanden/{verband.pk}/trekker/toepassen/"


@pytest.mark.parametrize(
    "geweigerd", [_eigen_account, _al_actief, _heeft_wachtwoord, _niets_toe_te_passen]
)
def test_an_action_that_changes_nothing_leaves_no_line(geweigerd, beheerder, verband):
    """These answer with a redirect and a message, as a success does."""
    response = client_for(beheerder).post(geweigerd(beheerder))
    assert response.status_code == 302
    assert not Auditregel.objects.exists()


def test_logging_in_to_beheer_is_a_login_not_a_change(beheerder):
    client = Client()
    response = client.post(
        "/beheer/login/", {"username": beheerder.email, "password": PASSWORD, "next": "/beheer/"}
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(beheerder.pk)
    [regel] = Auditregel.objects.all()
    assert regel.soort == Auditregel.Soort.AANMELDING and regel.gebruiker == beheerder
    assert regel.actie == "aangemeld via wachtwoord"


def test_a_failed_login_to_beheer_is_a_refused_login_not_a_change(beheerder):
    response = Client().post(
        "/beheer/login/", {"username": beheerder.email, "password": "fout", "next": "/beheer/"}
    )
    assert response.status_code == 200
    [regel] = Auditregel.objects.all()
    assert regel.soort == Auditregel.Soort.AANMELDING and regel.gebruiker is None
    assert regel.actie == "geweigerd via wachtwoord"
    assert regel.gegevens == {"e-mailadres": beheerder.email}


@pytest.mark.parametrize("who", ["regisseur", "beoordelaar"])
def test_a_post_to_the_admin_without_access_leaves_no_line(who, oproep, request):
    """Refused with a 404, as every page of /beheer/ for anyone but a beheerder."""
    response = client_for(request.getfixturevalue(who)).post(
        f"/beheer/oproepen/oproep/{oproep.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 404
    assert Oproep.objects.filter(pk=oproep.pk).exists()
    assert not Auditregel.objects.exists()


def test_a_two_step_login_not_yet_given_leaves_no_line(beheerder):
    client = Client()
    client.force_login(beheerder)
    ander = UserFactory.create(email="ander@example.org")
    response = client.post(f"/beheer/gebruikers/{ander.pk}/deactiveren/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/tweestaps/")
    assert User.objects.get(pk=ander.pk).is_active
    assert not Auditregel.objects.exists()


# --- Changes in the admin -------------------------------------------------------------------------


class _Formulier(HTMLParser):
    """The fields of a page's forms as a browser would submit them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def _voeg_toe(self, naam: str, waarde: str) -> None:
        self.data.setdefault(naam, []).append(waarde)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        naam = a.get("name")
        if tag == "input" and naam and "disabled" not in a:
            soort = a.get("type", "text")
            if soort in ("submit", "button", "file", "image"):
                return
            if soort in ("checkbox", "radio") and "checked" not in a:
                return
            self._voeg_toe(naam, a.get("value", "on" if soort == "checkbox" else ""))
        elif tag == "select" and naam:
            self._select = naam
        elif tag == "option" and self._select and "selected" in a:
            self._voeg_toe(self._select, a.get("value", ""))
        elif tag == "textarea" and naam:
            self._textarea = naam
            self._voeg_toe(naam, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][-1] += data.removeprefix("\n")


def _formulier(client: Client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    parser = _Formulier()
    parser.feed(response.content.decode())
    return parser.data


def _oproep_wijzigen(client: Client, oproep: Oproep) -> tuple[str, Callable[[], bool]]:
    url = f"/beheer/oproepen/oproep/{oproep.pk}/change/"
    data = _formulier(client, url)
    data["naam"] = ["Oproep met nieuwe naam"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return (
        "beheer:oproepen_oproep_change",
        lambda: Oproep.objects.get(pk=oproep.pk).naam == "Oproep met nieuwe naam",
    )


def _bestuur_verwijderen(client: Client, oproep: Oproep) -> tuple[str, Callable[[], bool]]:
    bestuur = LokaalBestuurFactory.create(nis_code="90009", naam="Weg-dorp")
    response = client.post(f"/beheer/besturen/lokaalbestuur/{bestuur.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    return (
        "beheer:besturen_lokaalbestuur_delete",
        lambda: not LokaalBestuur.objects.filter(pk=bestuur.pk).exists(),
    )


def _rol_toevoegen_in_popup(client: Client, oproep: Oproep) -> tuple[str, Callable[[], bool]]:
    """Added from the '+' beside a choice: the admin answers with a page, not a redirect."""
    response = client.post(
        "/beheer/auth/group/add/?_popup=1", {"name": "Nieuwe rol", "_popup": "1"}
    )
    assert response.status_code == 200
    return "beheer:auth_group_add", lambda: Group.objects.filter(name="Nieuwe rol").exists()


def _wachtwoord_zetten(client: Client, oproep: Oproep) -> tuple[str, Callable[[], bool]]:
    ander = UserFactory.create(email="ander@example.org")
    response = client.post(
        f"/beheer/accounts/user/{ander.pk}/password/",
        {"password1": NIEUW_WACHTWOORD, "password2": NIEUW_WACHTWOORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return "beheer:auth_user_password_change", lambda: User.objects.get(pk=ander.pk).check_password(
        NIEUW_WACHTWOORD
    )


def _gebruiker_toevoegen(client: Client, oproep: Oproep) -> tuple[str, Callable[[], bool]]:
    """The admin's user form sets `_continue = 1` (a number) in the posted data after saving."""
    response = client.post(
        "/beheer/accounts/user/add/",
        {
            "email": "toegevoegd@example.org",
            "usable_password": "true",
            "password1": NIEUW_WACHTWOORD,
            "password2": NIEUW_WACHTWOORD,
            "_save": "Bewaren",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return "beheer:accounts_user_add", lambda: User.objects.get(
        email="toegevoegd@example.org"
    ).check_password(NIEUW_WACHTWOORD)


@pytest.mark.parametrize(
    "wijzig",
    [
        _oproep_wijzigen,
        _bestuur_verwijderen,
        _rol_toevoegen_in_popup,
        _wachtwoord_zetten,
        _gebruiker_toevoegen,
    ],
)
def test_each_admin_change_leaves_one_line_without_secrets(wijzig, beheerder, oproep):
    client = client_for(beheerder)
    voor = timezone.now()
    actie, gelukt = wijzig(client, oproep)
    assert gelukt()
    regel = _enige_regel(voor)
    assert regel.soort == Auditregel.Soort.BEHEER
    assert (regel.gebruiker, regel.gebruiker_email) == (beheerder, "dana@example.org")
    assert regel.actie == actie
    _zonder_geheimen(regel, NIEUW_WACHTWOORD, PASSWORD)


def test_the_admin_line_names_the_view_the_object_and_the_new_value(beheerder, oproep):
    _oproep_wijzigen(client_for(beheerder), oproep)
    regel = Auditregel.objects.get()
    assert regel.actie == "beheer:oproepen_oproep_change"
    assert regel.gegevens["parameters"]["object_id"] == str(oproep.pk)
    assert regel.gegevens["formulier"]["naam"] == "Oproep met nieuwe naam"
    # The object as it was named when the beheerder opened it, not "object_id=3".
    assert regel.onderwerp == f"Oproep {oproep.naam}"
    assert (regel.onderwerp_type, regel.onderwerp_id) == ("oproepen.oproep", oproep.pk)


def test_a_deleted_object_is_still_named_in_its_line(beheerder):
    bestuur = LokaalBestuurFactory.create(nis_code="90008", naam="Verdwenen-dorp")
    client = client_for(beheerder)
    antwoord = client.post(f"/beheer/besturen/lokaalbestuur/{bestuur.pk}/delete/", {"post": "yes"})
    assert antwoord.status_code == 302
    regel = Auditregel.objects.get()
    assert "Verdwenen-dorp" in regel.onderwerp


def test_a_password_set_in_the_admin_is_logged_hidden(beheerder):
    ander = UserFactory.create(email="ander@example.org")
    client_for(beheerder).post(
        f"/beheer/accounts/user/{ander.pk}/password/",
        {"password1": NIEUW_WACHTWOORD, "password2": NIEUW_WACHTWOORD},
    )
    formulier = Auditregel.objects.get().gegevens["formulier"]
    assert formulier["password1"] == formulier["password2"] == "(verborgen)"


def test_an_admin_form_with_errors_leaves_no_line(beheerder, oproep):
    client = client_for(beheerder)
    url = f"/beheer/oproepen/oproep/{oproep.pk}/change/"
    data = _formulier(client, url)
    data["naam"] = [""]
    response = client.post(url, data)
    assert response.status_code == 200
    assert Oproep.objects.get(pk=oproep.pk).naam == oproep.naam
    assert not Auditregel.objects.exists()


def test_deleting_with_an_admin_action_leaves_one_line_after_the_confirmation(beheerder):
    bestuur = LokaalBestuurFactory.create(nis_code="90009", naam="Weg-dorp")
    client = client_for(beheerder)
    data = {"action": "delete_selected", "_selected_action": [str(bestuur.pk)]}
    confirmation = client.post("/beheer/besturen/lokaalbestuur/", data)
    assert confirmation.status_code == 200  # "Are you sure?"
    assert not Auditregel.objects.exists()
    response = client.post("/beheer/besturen/lokaalbestuur/", {**data, "post": "yes"})
    assert response.status_code == 302
    assert not LokaalBestuur.objects.filter(pk=bestuur.pk).exists()
    regel = Auditregel.objects.get()
    assert regel.actie == "beheer:besturen_lokaalbestuur_changelist"
    assert regel.gegevens["formulier"]["_selected_action"] == str(bestuur.pk)


def test_an_admin_action_without_a_selection_leaves_no_line(beheerder):
    response = client_for(beheerder).post(
        "/beheer/accounts/user/", {"action": "deactiveren", "index": "0"}
    )
    assert response.status_code == 302
    assert not Auditregel.objects.exists()


def test_an_admin_action_refused_for_every_selected_account_leaves_no_line(beheerder):
    response = client_for(beheerder).post(
        "/beheer/accounts/user/",
        {"action": "deactiveren", "_selected_action": [str(beheerder.pk)]},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=beheerder.pk).is_active
    assert not Auditregel.objects.exists()


def test_reading_admin_pages_leaves_no_line(beheerder, oproep):
    client = client_for(beheerder)
    for url in (
        "/beheer/",
        "/beheer/oproepen/oproep/",
        f"/beheer/oproepen/oproep/{oproep.pk}/change/",
    ):
        assert client.get(url).status_code == 200
    assert not Auditregel.objects.exists()


# --- Downloads by WSE -----------------------------------------------------------------------------


@pytest.fixture
def ingediend(aanvraag: Aanvraag, regisseur: User) -> Aanvraag:
    fill_everything(aanvraag, regisseur)
    aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    worker_maakt_pdfs()
    return Aanvraag.objects.get(pk=aanvraag.pk)


def _download(user: User, url: str) -> bytes:
    response = client_for(user).get(url)
    assert response.status_code == 200
    return response.getvalue()


@pytest.mark.parametrize("who", ["beoordelaar", "beheerder"])
def test_wse_downloading_a_sealed_version_leaves_a_line(who, ingediend, request):
    user = request.getfixturevalue(who)
    indiening = ingediend.indieningen.get()
    voor = timezone.now()
    _download(user, f"/aanvragen/{ingediend.pk}/pdf/1/")
    regel = _enige_regel(voor)
    assert regel.soort == Auditregel.Soort.DOWNLOAD
    assert (regel.gebruiker, regel.gebruiker_email) == (user, user.email)
    assert regel.ip_adres == "127.0.0.1"
    assert (regel.onderwerp_type, regel.onderwerp_id) == ("aanvragen.aanvraag", ingediend.pk)
    assert regel.onderwerp == f"Aanvraag {ingediend}"
    assert regel.actie == "aanvraag_pdf_versie"
    assert regel.omschrijving == "PDF versie 1"
    assert regel.gegevens == {
        "indiening": indiening.pk,
        "versie": 1,
        "bestandsnaam": indiening_filename(indiening),
        "sha256": indiening.pdf_sha256,
    }


def test_the_latest_version_without_a_number_is_logged_with_its_number(ingediend, beoordelaar):
    _download(beoordelaar, f"/aanvragen/{ingediend.pk}/pdf/")
    regel = Auditregel.objects.get()
    assert (regel.actie, regel.omschrijving) == ("aanvraag_pdf", "PDF versie 1")


def test_a_draft_pdf_is_logged_as_concept(aanvraag, beoordelaar):
    _download(beoordelaar, f"/aanvragen/{aanvraag.pk}/pdf/")
    regel = Auditregel.objects.get()
    assert regel.omschrijving == "PDF concept"
    assert regel.gegevens["bestandsnaam"].endswith("-concept.pdf")


@pytest.mark.parametrize("per_lid", [True, False])
def test_an_attachment_download_names_type_file_and_member(per_lid, ingediend, beoordelaar):
    bijlage = Bijlage.objects.filter(aanvraag=ingediend, bestuur__isnull=not per_lid).first()
    assert bijlage is not None
    _download(beoordelaar, f"/aanvragen/{ingediend.pk}/bijlagen/{bijlage.pk}/")
    regel = Auditregel.objects.get()
    assert (regel.onderwerp_type, regel.onderwerp_id) == ("aanvragen.aanvraag", ingediend.pk)
    assert regel.onderwerp == f"Aanvraag {ingediend}"
    assert regel.actie == "bijlage_download"
    voor = f" voor {bijlage.bestuur.naam}" if bijlage.bestuur else ""
    assert regel.omschrijving == f"bijlage {bijlage.bijlagetype.code} {bijlage.naam}{voor}"
    assert regel.gegevens == {
        "bijlage": bijlage.pk,
        "bijlagetype": bijlage.bijlagetype.code,
        "bestuur": bijlage.bestuur.nis_code if bijlage.bestuur else None,
        "bestandsnaam": bijlage.naam,
        "sha256": bijlage.sha256,
    }


def test_a_decision_letter_download_is_logged(ingediend, beoordelaar):
    aanvraag_take(aanvraag=ingediend, by=beoordelaar)
    aanvraag_decide(
        aanvraag=Aanvraag.objects.get(pk=ingediend.pk),
        by=beoordelaar,
        uitkomst=AanvraagStatus.AFGEWEZEN,
        motivatie="Onvoldoende onderbouwd.",
    )
    _download(beoordelaar, f"/aanvragen/{ingediend.pk}/beslissing.pdf")
    regel = Auditregel.objects.get()
    assert (regel.actie, regel.omschrijving) == ("beslissing_brief", "beslissingsbrief")
    assert regel.gegevens["uitkomst"] == AanvraagStatus.AFGEWEZEN
    assert regel.gegevens["sha256"] == ingediend.beslissing.brief_sha256


def test_the_owners_own_downloads_are_not_logged(ingediend, regisseur, beoordelaar):
    aanvraag_take(aanvraag=ingediend, by=beoordelaar)
    aanvraag_decide(
        aanvraag=Aanvraag.objects.get(pk=ingediend.pk),
        by=beoordelaar,
        uitkomst=AanvraagStatus.AFGEWEZEN,
        motivatie="Onvoldoende onderbouwd.",
    )
    bijlage = Bijlage.objects.filter(aanvraag=ingediend).first()
    assert bijlage is not None
    for url in (
        f"/aanvragen/{ingediend.pk}/pdf/",
        f"/aanvragen/{ingediend.pk}/pdf/1/",
        f"/aanvragen/{ingediend.pk}/bijlagen/{bijlage.pk}/",
        f"/aanvragen/{ingediend.pk}/beslissing.pdf",
    ):
        _download(regisseur, url)
    assert not Auditregel.objects.exists()


def test_a_refused_or_missing_download_is_not_logged(ingediend, collega, beoordelaar):
    assert client_for(collega).get(f"/aanvragen/{ingediend.pk}/pdf/1/").status_code == 404
    assert client_for(beoordelaar).get(f"/aanvragen/{ingediend.pk}/pdf/7/").status_code == 404
    assert (
        client_for(beoordelaar).get(f"/aanvragen/{ingediend.pk}/beslissing.pdf").status_code == 404
    )
    assert not Auditregel.objects.exists()


def test_the_zip_leaves_one_line_per_aanvraag(ingediend, oproep, beoordelaar):
    ander = AanvraagFactory.create(oproep=oproep)
    LidmaatschapFactory.create(regieverband=ander.regieverband, bestuur__nis_code="71072")
    regisseur_ander = UserFactory.create(regisseur_van=[ander.regieverband])
    fill_everything(ander, regisseur_ander)
    aanvraag_submit(aanvraag=ander, by=regisseur_ander)
    worker_maakt_pdfs()
    AanvraagFactory.create(oproep=oproep)  # a draft: not in the zip, not in the log

    voor = timezone.now()
    _download(beoordelaar, f"/beoordeling/{oproep.slug}/pdfs.zip")
    regels = Auditregel.objects.order_by("onderwerp_id")
    assert [r.onderwerp_id for r in regels] == sorted([ingediend.pk, ander.pk])
    for regel in regels:
        assert regel.onderwerp_type == "aanvragen.aanvraag"
        indiening = Indiening.objects.get(aanvraag__pk=regel.onderwerp_id or 0)
        assert voor <= regel.tijdstip <= timezone.now()
        assert (regel.gebruiker, regel.soort) == (beoordelaar, Auditregel.Soort.DOWNLOAD)
        assert regel.actie == "oproep_pdfs_zip"
        assert regel.omschrijving == f"PDF versie 1 (in aanvragen-{oproep.slug}.zip)"
        assert regel.gegevens == {
            "indiening": indiening.pk,
            "versie": 1,
            "oproep": oproep.slug,
            "sha256": indiening.pdf_sha256,
        }


def test_an_empty_zip_leaves_no_line(oproep, beoordelaar):
    _download(beoordelaar, f"/beoordeling/{oproep.slug}/pdfs.zip")
    assert not Auditregel.objects.exists()


# --- Reading the log ------------------------------------------------------------------------------


@pytest.fixture
def regels(beheerder: User, aanvraag: Aanvraag) -> list[Auditregel]:
    return [
        Auditregel.objects.create(
            soort=Auditregel.Soort.BEHEER,
            gebruiker=beheerder,
            gebruiker_email=beheerder.email,
            actie="beheer_gebruiker_deactiveren",
            pad="/beheer/gebruikers/5/deactiveren/",
            omschrijving="pk=5",
            gegevens={"parameters": {"pk": "5"}, "formulier": {}},
        ),
        Auditregel.objects.create(
            soort=Auditregel.Soort.DOWNLOAD,
            gebruiker_email="weg@example.org",
            actie="aanvraag_pdf_versie",
            pad=f"/aanvragen/{aanvraag.pk}/pdf/1/",
            omschrijving="PDF versie 1",
            gegevens={"versie": 1},
            **onderwerp_velden(aanvraag),
        ),
    ]


LIJST = "/beheer/audit/auditregel/"


def test_beheerders_read_the_log_with_filters_and_search(regels, beheerder):
    client = client_for(beheerder)
    html = client.get(LIJST).content.decode()
    assert "beheer_gebruiker_deactiveren" in html
    assert "PDF versie 1" in html
    assert "weg@example.org" in html
    gefilterd = client.get(f"{LIJST}?soort__exact=download").content.decode()
    assert "PDF versie 1" in gefilterd and "beheer_gebruiker_deactiveren" not in gefilterd
    gezocht = client.get(f"{LIJST}?q=weg@example").content.decode()
    assert "PDF versie 1" in gezocht and "beheer_gebruiker_deactiveren" not in gezocht
    # The date filter's "Vandaag" (today) link, as the admin builds it.
    link = re.search(r'href="(\?tijdstip__gte=[^"]+)"', html)
    assert link is not None
    vandaag = client.get(LIJST + link.group(1).replace("&amp;", "&")).content.decode()
    assert "PDF versie 1" in vandaag and "beheer_gebruiker_deactiveren" in vandaag
    detail = client.get(f"{LIJST}{regels[1].pk}/change/")
    assert detail.status_code == 200
    assert "&quot;versie&quot;: 1" in detail.content.decode()
    assert not Auditregel.objects.exclude(pk__in=[r.pk for r in regels]).exists()


def test_the_admin_index_links_to_the_log(beheerder):
    html = client_for(beheerder).get("/beheer/").content.decode()
    assert f'href="{LIJST}"' in html


@pytest.mark.parametrize("superuser", [False, True])
def test_nobody_adds_changes_or_deletes_a_line(superuser, regels, beheerder):
    if superuser:
        User.objects.filter(pk=beheerder.pk).update(is_superuser=True)
    client = client_for(User.objects.get(pk=beheerder.pk))
    regel = regels[0]
    assert client.get(f"{LIJST}add/").status_code == 403
    assert client.post(f"{LIJST}add/", {"actie": "x", "soort": "beheer"}).status_code == 403
    assert client.post(f"{LIJST}{regel.pk}/change/", {"actie": "vervalst"}).status_code == 403
    assert client.post(f"{LIJST}{regel.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(LIJST, {"action": "delete_selected", "_selected_action": [str(regel.pk)]})
    assert bulk.status_code == 200  # no actions: the list again
    assert Auditregel.objects.get(pk=regel.pk).actie == "beheer_gebruiker_deactiveren"
    assert Auditregel.objects.filter(pk__in=[r.pk for r in regels]).count() == 2
    html = client.get(LIJST).content.decode()
    assert f'href="{LIJST}add/"' not in html
    assert "delete_selected" not in html


def test_only_beheerders_read_the_log(regels, beoordelaar, regisseur):
    for user in (beoordelaar, regisseur):
        assert client_for(user).get(LIJST).status_code == 404
    response = client_for(None).get(LIJST)
    assert response.status_code == 302
    assert response["Location"].startswith("/beheer/login/")


def test_the_admin_hands_out_attachments_only_through_the_logged_download(ingediend, beheerder):
    bijlage = Bijlage.objects.filter(aanvraag=ingediend).first()
    assert bijlage is not None
    html = client_for(beheerder).get(f"/beheer/aanvragen/bijlage/{bijlage.pk}/change/")
    page = html.content.decode()
    assert f'href="/aanvragen/{ingediend.pk}/bijlagen/{bijlage.pk}/"' in page
    assert bijlage.bestand.name not in page
    assert not Auditregel.objects.exists()


@pytest.mark.parametrize("who", ["beoordelaar", "beheerder"])
@pytest.mark.parametrize(
    ("soort", "formaat"), [("aanvragen", "csv"), ("acties", "xlsx"), ("dekking", "csv")]
)
def test_every_export_is_in_the_audit_log(who, soort, formaat, oproep, request):
    """Who took which table of which call, in which format, with which filters."""
    gebruiker = request.getfixturevalue(who)
    pad = f"/export/{oproep.slug}/{soort}.{formaat}"
    antwoord = client_for(gebruiker).get(pad, {"provincie": "70000"} if soort == "dekking" else {})
    assert antwoord.status_code == 200
    regel = Auditregel.objects.get(soort=Auditregel.Soort.DOWNLOAD)
    assert regel.gebruiker == gebruiker
    assert regel.pad.startswith(pad)
    assert regel.omschrijving == f"Export {soort} ({formaat.upper()})"
    assert regel.onderwerp_type == "oproepen.oproep" and regel.onderwerp_id == oproep.pk
    assert regel.gegevens["bestandsnaam"] == f"regierol-{oproep.slug}-{soort}.{formaat}"
    if soort == "dekking":
        assert regel.gegevens["filters"] == "provincie=70000"
