"""The conflict screen: two regisseurs of one verband save the same thing; the second sees what
differs, word by word, and makes one choice: keep mine, take theirs, or merge by hand. Nothing
the second typed is lost unless they take the other version."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from applications.aanvragen.models import Aanvraag, Actie
from applications.accounts.models import User
from applications.besturen.models import Regieverband

from ..conftest import client_for
from ..factories import ActieFactory, UserFactory

pytestmark = pytest.mark.django_db

CHOICES = ("Mijn versie bewaren", "Hun versie overnemen", "Zelf samenvoegen")


@pytest.fixture
def tom(verband: Regieverband) -> User:
    return UserFactory.create(regisseur_van=[verband], email="tom@example.org", first_name="Tom")


def versie_on(body: str) -> int:
    """The version token the page's form carries: what a browser sends back with a choice."""
    match = re.search(r'name="versie" value="(\d+)"', body)
    assert match, "no version token on the page"
    return int(match.group(1))


def field_value(body: str, name: str) -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>\n(.*?)</textarea>', body, re.S)
    assert match, f"no field {name}"
    return match.group(1)


def main_of(body: str) -> str:
    return body[body.index("<main") : body.index("</main>")]


def diff_of(main: str, name: str) -> str:
    """A field's diff on the screen as [-removed-] and {+added+} (the hidden texts left out)."""
    match = re.search(rf'<h4[^>]*id="conflict-veld-{name}">([^<]*)</h4>', main)
    assert match, f"no diff of {name}"
    label = re.escape(match.group(1))
    match = re.search(rf'aria-label="Verschillen in {label}">(.*?)</div>', main, re.S)
    assert match, f"no diff of {name}"
    text = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", match.group(1))
    for tag, mark in (("<del>", "[-"), ("</del>", "-]"), ("<ins>", "{+"), ("</ins>", "+}")):
        text = text.replace(tag, mark)
    return text


# --- Sections 1 and 2: the texts ----------------------------------------------------------------


def teksten_conflict(aanvraag: Aanvraag, alice: User, tom: User) -> tuple[Client, str, str]:
    """Alice saves first; Tom saves over the version both pages were based on."""
    url = f"/aanvragen/{aanvraag.pk}/teksten/"
    client_for(alice).post(
        url,
        {"versie": 1, "omgevingsanalyse": "Veel werkzoekenden in het Maasland.", "visie": ""},
    )
    client = client_for(tom)
    response = client.post(
        url,
        {
            "versie": 1,
            "omgevingsanalyse": "Veel werkzoekenden en <script>alert(1)</script> in Maasmechelen.",
            "visie": "",
        },
    )
    assert response.status_code == 200
    return client, url, response.content.decode()


def test_the_conflict_shows_the_words_that_differ_and_one_choice(aanvraag, regisseur, tom):
    _client, _url, body = teksten_conflict(aanvraag, regisseur, tom)
    main = main_of(body)
    assert f"Niet opgeslagen: {regisseur} heeft dit intussen gewijzigd" in main
    # Removed words struck through, added ones underlined, both said to a screen reader.
    assert diff_of(main, "omgevingsanalyse") == (
        "Veel werkzoekenden {+en &lt;script&gt;alert(1)&lt;/script&gt;+} in [-het Maasland-] "
        "{+Maasmechelen+}."
    )
    assert (
        '<del><span class="visually-hidden">verwijderd: </span>het Maasland'
        '<span class="visually-hidden"> einde verwijderd</span></del>' in main
    )
    assert "<script>alert" not in body
    # Only the field that differs; the choices replace the form's own save button.
    assert "conflict-veld-omgevingsanalyse" in main and "conflict-veld-visie" not in main
    for label in CHOICES:
        assert f">{label}</button>" in main
    assert ">Opslaan als concept</button>" not in main
    # Tom's input is kept in the form, based on the version the screen compared with.
    assert field_value(body, "omgevingsanalyse") == (
        "Veel werkzoekenden en &lt;script&gt;alert(1)&lt;/script&gt; in Maasmechelen."
    )
    assert versie_on(body) == 2
    assert "data-conflict" in main  # leaving the page asks first; no autosave meanwhile
    aanvraag.refresh_from_db()
    assert (aanvraag.omgevingsanalyse, aanvraag.versie) == (
        "Veel werkzoekenden in het Maasland.",
        2,
    )


def test_keep_mine_saves_my_input_over_the_newest_version(aanvraag, regisseur, tom):
    client, url, body = teksten_conflict(aanvraag, regisseur, tom)
    tekst = "Veel werkzoekenden en <script>alert(1)</script> in Maasmechelen."
    response = client.post(
        url,
        {"versie": versie_on(body), "omgevingsanalyse": tekst, "visie": "", "keuze": "mijn"},
        follow=True,
    )
    aanvraag.refresh_from_db()
    assert (aanvraag.omgevingsanalyse, aanvraag.versie, aanvraag.gewijzigd_door) == (tekst, 3, tom)
    page = response.content.decode()
    assert re.search(r"Opgeslagen om \d\d:\d\d: uw versie vervangt de vorige versie.", page)
    assert 'id="conflict"' not in page


def test_keep_mine_over_a_version_saved_after_the_screen_is_refused_again(aanvraag, regisseur, tom):
    """The choice overwrites the version the screen showed, not one saved since."""
    client, url, body = teksten_conflict(aanvraag, regisseur, tom)
    client_for(regisseur).post(
        url, {"versie": 2, "omgevingsanalyse": "Derde versie van Alice.", "visie": ""}
    )
    response = client.post(
        url,
        {"versie": versie_on(body), "omgevingsanalyse": "Tom", "visie": "", "keuze": "mijn"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Niet opgeslagen:" in page and versie_on(page) == 3
    aanvraag.refresh_from_db()
    assert aanvraag.omgevingsanalyse == "Derde versie van Alice."


def test_take_theirs_saves_nothing_and_shows_the_stored_text(aanvraag, regisseur, tom):
    client, url, body = teksten_conflict(aanvraag, regisseur, tom)
    response = client.post(
        url,
        {"versie": versie_on(body), "omgevingsanalyse": "Tom", "visie": "", "keuze": "hun"},
    )
    assert response.status_code == 302 and response["Location"] == url
    aanvraag.refresh_from_db()
    assert (aanvraag.omgevingsanalyse, aanvraag.versie) == (
        "Veel werkzoekenden in het Maasland.",
        2,
    )
    page = client.get(url).content.decode()
    assert (
        "Niets opgeslagen: het formulier toont nu de opgeslagen versie. Uw invoer is niet "
        "bewaard." in page
    )
    assert field_value(page, "omgevingsanalyse") == "Veel werkzoekenden in het Maasland."
    assert versie_on(page) == 2
    assert "data-conflict" not in page


def test_merge_by_hand_keeps_my_input_shows_theirs_beside_it_and_starts_there(
    aanvraag, regisseur, tom
):
    client, url, body = teksten_conflict(aanvraag, regisseur, tom)
    mijn = "Veel werkzoekenden en <script>alert(1)</script> in Maasmechelen."
    response = client.post(
        url,
        {"versie": versie_on(body), "omgevingsanalyse": mijn, "visie": "", "keuze": "samenvoegen"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    aanvraag.refresh_from_db()
    assert aanvraag.versie == 2, "nothing saved yet"
    # My input in the field, where the keyboard starts; the stored text under it, to copy from.
    veld = re.search(r'<textarea name="omgevingsanalyse"[^>]*>', page)
    assert veld and "autofocus" in veld.group(0)
    assert 'aria-describedby="id_omgevingsanalyse_opgeslagen_uitleg' in veld.group(0)
    assert field_value(page, "omgevingsanalyse") == (
        "Veel werkzoekenden en &lt;script&gt;alert(1)&lt;/script&gt; in Maasmechelen."
    )
    assert re.search(
        r'<textarea class="form-control" id="id_omgevingsanalyse_opgeslagen" readonly[^>]*>'
        r"Veel werkzoekenden in het Maasland.</textarea>",
        page,
    )
    assert "Omgevingsanalyse: nu opgeslagen" in page
    assert "id_visie_opgeslagen" not in page  # the same in both: nothing to merge
    assert ">Opslaan als concept</button>" in page
    assert versie_on(page) == 2

    # Saving the merged text overwrites the version that was shown.
    samen = "Veel werkzoekenden in het Maasland, vooral in Maasmechelen."
    response = client.post(url, {"versie": versie_on(page), "omgevingsanalyse": samen, "visie": ""})
    assert response.status_code == 302
    aanvraag.refresh_from_db()
    assert (aanvraag.omgevingsanalyse, aanvraag.versie) == (samen, 3)


def test_texts_too_long_to_compare_are_shown_whole(aanvraag, regisseur, tom):
    """Two 20,000-character texts without a word in common: both shown, no word marks."""
    oud = " ".join(f"a{i % 97}" for i in range(4_001))
    nieuw = " ".join(f"b{i % 89}" for i in range(4_001))
    url = f"/aanvragen/{aanvraag.pk}/teksten/"
    client_for(regisseur).post(url, {"versie": 1, "omgevingsanalyse": "", "visie": oud})
    response = client_for(tom).post(url, {"versie": 1, "omgevingsanalyse": "", "visie": nieuw})
    main = main_of(response.content.decode())
    assert "Deze teksten zijn te lang om woord voor woord te vergelijken." in main
    assert oud in main and nieuw in main
    assert "<del>" not in main and "<ins>" not in main
    for label in CHOICES:
        assert f">{label}</button>" in main


def test_compare_shows_the_screen_for_a_text_kept_on_the_device(aanvraag, regisseur, tom):
    """The copy a browser kept offline goes to the same screen (aanvraag.js), nothing saved."""
    url = f"/aanvragen/{aanvraag.pk}/teksten/"
    client_for(regisseur).post(url, {"versie": 1, "omgevingsanalyse": "", "visie": "Van Alice."})
    client = client_for(tom)
    body = client.post(
        url,
        {"versie": 2, "omgevingsanalyse": "", "visie": "Van Tom.", "keuze": "vergelijken"},
    ).content.decode()
    assert "Van <del>" in body
    for label in CHOICES:
        assert f">{label}</button>" in body
    aanvraag.refresh_from_db()
    assert (aanvraag.visie, aanvraag.versie) == ("Van Alice.", 2)
    same = client.post(
        url, {"versie": 2, "omgevingsanalyse": "", "visie": "Van Alice.", "keuze": "vergelijken"}
    ).content.decode()
    assert "Uw invoer is gelijk aan de opgeslagen versie" in same
    assert 'id="conflict"' not in same


def test_an_autosave_over_a_newer_version_points_to_the_same_screen(aanvraag, regisseur, tom):
    url = f"/aanvragen/{aanvraag.pk}/autosave/"
    client_for(regisseur).post(url, {"veld": "visie", "waarde": "Van Alice.", "versie": 1})
    response = client_for(tom).post(url, {"veld": "visie", "waarde": "Van Tom.", "versie": 1})
    assert response.status_code == 409
    message = response.json()["message"]
    assert "Klik op 'Opslaan als concept' om de verschillen te zien" in message
    assert "herlaad" not in message


def test_the_contact_section_offers_the_same_choices(aanvraag, regisseur, tom):
    url = f"/aanvragen/{aanvraag.pk}/verband/"
    data = {"versie": 1, "contact_functie": "", "contact_email": "", "contact_telefoon": ""}
    client_for(regisseur).post(url, {**data, "contact_naam": "An Peeters"})
    client = client_for(tom)
    body = client.post(url, {**data, "contact_naam": "Tom Janssens"}).content.decode()
    # Named as the form names the field, not as the model does ("Contactpersoon").
    assert diff_of(main_of(body), "contact_naam") == "[-An Peeters-] {+Tom Janssens+}"
    assert 'id="conflict-veld-contact_naam">Naam contactpersoon</h4>' in body
    for label in CHOICES:
        assert f">{label}</button>" in body
    merge = client.post(
        url, {**data, "versie": 2, "contact_naam": "Tom Janssens", "keuze": "samenvoegen"}
    ).content.decode()
    assert re.search(r'<input type="text" name="contact_naam"[^>]*autofocus', merge)
    assert re.search(r'id="id_contact_naam_opgeslagen" readonly[^>]*>An Peeters</textarea>', merge)
    client.post(url, {**data, "versie": 2, "contact_naam": "Tom Janssens", "keuze": "mijn"})
    aanvraag.refresh_from_db()
    assert (aanvraag.contact_naam, aanvraag.versie) == ("Tom Janssens", 3)


# --- Section 3: an action of the meerjarenplan ----------------------------------------------------


def actie_conflict(aanvraag: Aanvraag, alice: User, tom: User) -> tuple[Client, str, dict, str]:
    actie = ActieFactory.create(
        aanvraag=aanvraag, titel="Jobbeurs", jaar=2030, budget=Decimal("1000")
    )
    url = f"/aanvragen/{aanvraag.pk}/acties/{actie.pk}/"
    data = {"versie": 1, "prioriteit": actie.prioriteit_id, "jaar": 2030}
    client_for(alice).post(url, {**data, "titel": "Jobbeurs in Genk", "budget": "1.500"})
    client = client_for(tom)
    mine = {**data, "titel": "Jobbeurs voor jongeren", "budget": "1.000"}
    response = client.post(url, mine)
    assert response.status_code == 200
    return client, url, mine, response.content.decode()


def test_an_action_conflict_shows_each_field_that_differs(aanvraag, regisseur, tom):
    _client, _url, _mine, body = actie_conflict(aanvraag, regisseur, tom)
    main = main_of(body)
    assert "conflict-veld-titel" in main and "conflict-veld-budget" in main
    assert diff_of(main, "titel") == "Jobbeurs [-in Genk-] {+voor jongeren+}"
    # Amounts as the form shows them, under the field's label as the form writes it.
    assert 'id="conflict-veld-budget">Budget (EUR)</h4>' in main
    assert diff_of(main, "budget") == "[-1.500,00-] {+1.000,00+}"
    for label in CHOICES:
        assert f">{label}</button>" in main
    assert ">Actie opslaan</button>" not in main
    assert 'value="Jobbeurs voor jongeren"' in body and versie_on(body) == 2


def test_an_action_keep_mine(aanvraag, regisseur, tom):
    client, url, mine, body = actie_conflict(aanvraag, regisseur, tom)
    response = client.post(url, {**mine, "versie": versie_on(body), "keuze": "mijn"}, follow=True)
    actie = Actie.objects.get(aanvraag=aanvraag)
    assert (actie.titel, actie.budget, actie.versie) == (
        "Jobbeurs voor jongeren",
        Decimal("1000.00"),
        3,
    )
    assert (
        "Actie &#x27;Jobbeurs voor jongeren&#x27; opgeslagen: uw versie vervangt de vorige "
        "versie." in response.content.decode()
    )


def test_an_action_take_theirs(aanvraag, regisseur, tom):
    client, url, mine, body = actie_conflict(aanvraag, regisseur, tom)
    response = client.post(url, {**mine, "versie": versie_on(body), "keuze": "hun"})
    assert response.status_code == 302 and response["Location"] == url
    actie = Actie.objects.get(aanvraag=aanvraag)
    assert (actie.titel, actie.budget, actie.versie) == ("Jobbeurs in Genk", Decimal("1500"), 2)
    page = client.get(url).content.decode()
    assert "Niets opgeslagen: het formulier toont nu de opgeslagen versie." in page
    assert 'value="Jobbeurs in Genk"' in page and 'value="1.500,00"' in page
    assert "jongeren" not in page


def test_an_action_merge_by_hand(aanvraag, regisseur, tom):
    client, url, mine, body = actie_conflict(aanvraag, regisseur, tom)
    page = client.post(
        url, {**mine, "versie": versie_on(body), "keuze": "samenvoegen"}
    ).content.decode()
    assert Actie.objects.get(aanvraag=aanvraag).versie == 2, "nothing saved yet"
    titel = re.search(r'<input type="text" name="titel"[^>]*>', page)
    assert (
        titel
        and "autofocus" in titel.group(0)
        and 'value="Jobbeurs voor jongeren"' in (titel.group(0))
    )
    budget = re.search(r'<input type="text" name="budget"[^>]*>', page)
    assert budget and "autofocus" not in budget.group(0), "the keyboard starts at the first"
    assert re.search(r'id="id_titel_opgeslagen" readonly[^>]*>Jobbeurs in Genk</textarea>', page)
    assert re.search(r'id="id_budget_opgeslagen" readonly[^>]*>1.500,00</textarea>', page)
    assert ">Actie opslaan</button>" in page

    merged = {**mine, "versie": versie_on(page), "titel": "Jobbeurs in Genk en Maasmechelen"}
    response = client.post(url, {**merged, "budget": "1.500"})
    assert response.status_code == 302
    actie = Actie.objects.get(aanvraag=aanvraag)
    assert (actie.titel, actie.budget, actie.versie) == (
        "Jobbeurs in Genk en Maasmechelen",
        Decimal("1500"),
        3,
    )


def test_a_new_action_ignores_a_choice(aanvraag, regisseur):
    """Only a stored action can be overtaken: a new one with a stray `keuze` is just saved."""
    prioriteit = aanvraag.oproep.prioriteiten.first()
    response = client_for(regisseur).post(
        f"/aanvragen/{aanvraag.pk}/acties/nieuw/",
        {
            "prioriteit": prioriteit.pk,
            "jaar": 2030,
            "titel": "Nieuw",
            "budget": "10",
            "keuze": "hun",
        },
    )
    assert response.status_code == 302
    assert Actie.objects.get(aanvraag=aanvraag).titel == "Nieuw"


def test_an_unknown_choice_is_a_plain_save(aanvraag, regisseur):
    url = f"/aanvragen/{aanvraag.pk}/teksten/"
    response = client_for(regisseur).post(
        url, {"versie": 1, "omgevingsanalyse": "Tekst.", "visie": "", "keuze": "<script>"}
    )
    assert response.status_code == 302
    aanvraag.refresh_from_db()
    assert (aanvraag.omgevingsanalyse, aanvraag.versie) == ("Tekst.", 2)
