"""The aanvraag pages as users reach them: permissions, starting, saving, uploads, bad input."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.aanvragen.models import Aanvraag, Actie, Bijlage
from applications.aanvragen.statuses import AanvraagStatus
from applications.oproepen.models import Beleidsprioriteit, Oproep

from ..aanvraag_helpers import fill_everything, pdf_bytes, pdf_upload
from ..conftest import client_for
from ..factories import ActieFactory, OproepFactory

pytestmark = pytest.mark.django_db

ROLES = ["regisseur", "collega", "beoordelaar", "beheerder", None]


def _user(request, who):
    return request.getfixturevalue(who) if who else None


# --- Permission matrix ---------------------------------------------------------------------------

READ_PAGES = [
    "",
    "verband/",
    "teksten/",
    "meerjarenplan/",
    "begroting/",
    "bijlagen/",
    "acties/nieuw/",
]
READ_EXPECTED = {"regisseur": 200, "collega": 404, "beoordelaar": 200, "beheerder": 200, None: 302}


@pytest.mark.parametrize("page", [*READ_PAGES, "acties/{actie}/", "bijlagen/{bijlage}/"])
@pytest.mark.parametrize("who", ROLES)
def test_read_pages_permission_matrix(page, who, aanvraag, regisseur, request):
    actie = ActieFactory.create(aanvraag=aanvraag)
    bijlage = fill_everything(aanvraag, regisseur).bijlagen.get(bijlagetype__code="lso-vdab")
    url = f"/aanvragen/{aanvraag.pk}/" + page.format(actie=actie.pk, bijlage=bijlage.pk)
    response = client_for(_user(request, who)).get(url)
    assert response.status_code == READ_EXPECTED[who], url
    if who is None:
        assert response["Location"].startswith("/accounts/login/")


WRITE_EXPECTED = {"collega": 404, "beoordelaar": 403, "beheerder": 403, None: 302}


@pytest.mark.parametrize(
    "page",
    [
        "verband/",
        "teksten/",
        "autosave/",
        "acties/nieuw/",
        "acties/{actie}/",
        "acties/{actie}/dupliceren/",
        "acties/{actie}/verwijderen/",
        "bijlagen/",
        "bijlagen/{bijlage}/verwijderen/",
        "indienen/",
    ],
)
@pytest.mark.parametrize("who", ["collega", "beoordelaar", "beheerder", None])
def test_nobody_but_the_verbands_regisseurs_changes_anything(
    page, who, aanvraag, regisseur, request
):
    fill_everything(aanvraag, regisseur)
    actie = aanvraag.acties.first()
    bijlage = aanvraag.bijlagen.first()
    before = (
        Aanvraag.objects.filter(pk=aanvraag.pk).values().get(),
        Actie.objects.count(),
        Bijlage.objects.count(),
    )
    url = f"/aanvragen/{aanvraag.pk}/" + page.format(actie=actie.pk, bijlage=bijlage.pk)
    data = {
        "versie": 1,
        "visie": "gekaapt",
        "veld": "visie",
        "waarde": "gekaapt",
        "titel": "x",
        "jaar": 2031,
    }
    response = client_for(_user(request, who)).post(url, data)
    assert response.status_code == WRITE_EXPECTED[who], url
    after = (
        Aanvraag.objects.filter(pk=aanvraag.pk).values().get(),
        Actie.objects.count(),
        Bijlage.objects.count(),
    )
    assert after == before


@pytest.mark.parametrize("who", ROLES)
def test_aanvragen_list(who, aanvraag, request):
    response = client_for(_user(request, who)).get("/aanvragen/")
    if who is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    shown = aanvraag.regieverband.naam in response.content.decode()
    assert shown == (who != "collega")


# --- Starting ------------------------------------------------------------------------------------


def test_start_creates_the_aanvraag_and_a_second_start_leads_to_it(regisseur, verband, oproep):
    client = client_for(regisseur)
    first = client.post(
        "/aanvragen/start/", {"regieverband": verband.pk, "oproep": oproep.pk}, follow=True
    )
    aanvraag = Aanvraag.objects.get(regieverband=verband, oproep=oproep)
    assert first.redirect_chain[-1][0] == f"/aanvragen/{aanvraag.pk}/verband/"
    assert "is gestart" in first.content.decode()
    second = client.post(
        "/aanvragen/start/", {"regieverband": verband.pk, "oproep": oproep.pk}, follow=True
    )
    assert second.redirect_chain[-1][0] == f"/aanvragen/{aanvraag.pk}/verband/"
    assert "heeft al een aanvraag voor deze oproep" in second.content.decode()
    assert Aanvraag.objects.filter(regieverband=verband, oproep=oproep).count() == 1


def test_cannot_start_for_another_verband(collega, verband, oproep):
    response = client_for(collega).post(
        "/aanvragen/start/", {"regieverband": verband.pk, "oproep": oproep.pk}
    )
    assert response.status_code == 404
    assert not Aanvraag.objects.exists()


def test_cannot_start_for_a_closed_call(regisseur, verband):
    closed = Oproep.objects.get(slug="2023-2025")
    response = client_for(regisseur).post(
        "/aanvragen/start/", {"regieverband": verband.pk, "oproep": closed.pk}, follow=True
    )
    assert "is niet open" in response.content.decode()
    assert not Aanvraag.objects.filter(oproep=closed).exists()


def test_list_offers_start_for_open_calls_only(regisseur, verband, oproep):
    body = client_for(regisseur).get("/aanvragen/").content.decode()
    assert "Aanvraag starten" in body
    assert oproep.naam in body
    assert "2023-2025" not in body


# --- Saving sections -----------------------------------------------------------------------------


def test_contact_is_saved_and_shown(aanvraag, regisseur):
    client = client_for(regisseur)
    response = client.post(
        f"/aanvragen/{aanvraag.pk}/verband/",
        {"versie": 1, "contact_naam": "Rita", "contact_email": "rita@example.org"},
        follow=True,
    )
    assert "Opgeslagen om" in response.content.decode()
    aanvraag.refresh_from_db()
    assert (aanvraag.contact_naam, aanvraag.versie) == ("Rita", 2)


def test_invalid_email_comes_back_with_the_input_and_a_field_error(aanvraag, regisseur):
    response = client_for(regisseur).post(
        f"/aanvragen/{aanvraag.pk}/verband/",
        {"versie": 1, "contact_naam": "Rita Bewaard", "contact_email": "geen-adres"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Geef een geldig e-mailadres" in body
    assert 'value="Rita Bewaard"' in body
    aanvraag.refresh_from_db()
    assert aanvraag.contact_naam == ""


def test_html_in_text_fields_is_shown_as_text(aanvraag, regisseur):
    script = '<script>alert("x")</script><img src="x" onerror="alert(1)">'
    client = client_for(regisseur)
    client.post(
        f"/aanvragen/{aanvraag.pk}/teksten/", {"versie": 1, "omgevingsanalyse": script, "visie": ""}
    )
    body = client.get(f"/aanvragen/{aanvraag.pk}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert '<script>alert("x")' not in body
    assert '<img src="x"' not in body


def test_autosave_saves_and_returns_the_new_version_and_time(aanvraag, regisseur):
    response = client_for(regisseur).post(
        f"/aanvragen/{aanvraag.pk}/autosave/", {"veld": "visie", "waarde": "Getypt", "versie": 1}
    )
    assert response.status_code == 200
    assert response.json()["versie"] == 2
    assert len(response.json()["tijd"]) == 5
    aanvraag.refresh_from_db()
    assert aanvraag.visie == "Getypt"


def test_autosave_refuses_other_fields(aanvraag, regisseur):
    response = client_for(regisseur).post(
        f"/aanvragen/{aanvraag.pk}/autosave/",
        {"veld": "status", "waarde": "goedgekeurd", "versie": 1},
    )
    assert response.status_code == 400
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.CONCEPT


# --- Actions -------------------------------------------------------------------------------------


def actie_post(aanvraag, **overrides):
    prioriteit = aanvraag.oproep.prioriteiten.first()
    data = {"prioriteit": prioriteit.pk, "jaar": 2031, "titel": "Jobbeurs", "budget": "12.500,50",
            "beschrijving": "Een verzonnen beschrijving"}  # fmt: skip
    data.update(overrides)
    return data


def test_add_action_in_dutch_notation(aanvraag, regisseur):
    response = client_for(regisseur).post(
        f"/aanvragen/{aanvraag.pk}/acties/nieuw/", actie_post(aanvraag)
    )
    actie = Actie.objects.get(aanvraag=aanvraag)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#cel-{actie.prioriteit_id}-2031")
    assert str(actie.budget) == "12500.50"


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ("-5", "kan niet negatief zijn"),
        ("twaalf", "zonder letters"),
        ("12,505", "hoogstens 2 cijfers na de komma"),
        ("1.5.5,3", "zonder letters"),
        ("", "Geef een bedrag in euro"),
    ],
)
def test_wrong_amounts_give_a_field_error_and_keep_the_input(aanvraag, regisseur, budget, message):
    response = client_for(regisseur).post(
        f"/aanvragen/{aanvraag.pk}/acties/nieuw/", actie_post(aanvraag, budget=budget)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'value="Jobbeurs"' in body
    assert "Een verzonnen beschrijving" in body
    assert not Actie.objects.exists()


def test_year_outside_the_period_is_a_field_error(aanvraag, regisseur):
    response = client_for(regisseur).post(
        f"/aanvragen/{aanvraag.pk}/acties/nieuw/", actie_post(aanvraag, jaar=2029)
    )
    assert "Kies een jaar binnen de periode van de oproep" in response.content.decode()
    assert not Actie.objects.exists()


def test_priority_of_another_call_is_a_field_error(aanvraag, regisseur):
    foreign = Beleidsprioriteit.objects.filter(oproep=OproepFactory.create(slug="andere")).first()
    assert foreign is not None
    response = client_for(regisseur).post(
        f"/aanvragen/{aanvraag.pk}/acties/nieuw/", actie_post(aanvraag, prioriteit=foreign.pk)
    )
    assert "Kies een beleidsprioriteit van deze oproep" in response.content.decode()
    assert not Actie.objects.exists()


def test_duplicate_action_to_another_year_and_delete(aanvraag, regisseur):
    actie = ActieFactory.create(aanvraag=aanvraag, jaar=2030, titel="Netwerkdag")
    client = client_for(regisseur)
    client.post(f"/aanvragen/{aanvraag.pk}/acties/{actie.pk}/dupliceren/", {"jaar": 2032})
    assert sorted(Actie.objects.filter(titel="Netwerkdag").values_list("jaar", flat=True)) == [
        2030,
        2032,
    ]
    response = client.post(
        f"/aanvragen/{aanvraag.pk}/acties/{actie.pk}/dupliceren/", {"jaar": 2040}
    )
    assert Actie.objects.filter(titel="Netwerkdag").count() == 2
    assert response.status_code == 302
    client.post(
        f"/aanvragen/{aanvraag.pk}/acties/{actie.pk}/verwijderen/", {"versie": actie.versie}
    )
    assert list(Actie.objects.filter(titel="Netwerkdag").values_list("jaar", flat=True)) == [2032]


def test_action_of_another_aanvraag_is_404(aanvraag, regisseur):
    foreign = ActieFactory.create()
    response = client_for(regisseur).get(f"/aanvragen/{aanvraag.pk}/acties/{foreign.pk}/")
    assert response.status_code == 404


def test_empty_cells_stand_out(aanvraag, regisseur):
    ActieFactory.create(aanvraag=aanvraag)
    body = client_for(regisseur).get(f"/aanvragen/{aanvraag.pk}/meerjarenplan/").content.decode()
    assert body.count('class="matrix-cell-empty"') == 11
    assert body.count("Nog geen actie") == 11


def test_every_action_in_the_matrix_links_to_its_own_form(aanvraag, regisseur):
    """The matrix builds the links from one reversed URL: each must be the action's own."""
    acties = [ActieFactory.create(aanvraag=aanvraag) for _ in range(3)]
    body = client_for(regisseur).get(f"/aanvragen/{aanvraag.pk}/meerjarenplan/").content.decode()
    for actie in acties:
        assert f'<a href="{reverse("actie_wijzig", args=[aanvraag.pk, actie.pk])}">' in body
        assert (
            client_for(regisseur)
            .get(reverse("actie_wijzig", args=[aanvraag.pk, actie.pk]))
            .context["form"]
            .initial["titel"]
            == actie.titel
        )


@pytest.mark.parametrize("per_cel", [1])
def test_meerjarenplan_query_count_does_not_grow_with_actions(aanvraag, regisseur, per_cel):
    client = client_for(regisseur)
    url = f"/aanvragen/{aanvraag.pk}/meerjarenplan/"
    prioriteiten = list(aanvraag.oproep.prioriteiten.all())

    def add(n_per_cell: int) -> None:
        Actie.objects.filter(aanvraag=aanvraag).delete()
        Actie.objects.bulk_create(
            Actie(aanvraag=aanvraag, prioriteit=p, jaar=jaar, titel=f"{p.code} {jaar} {n}")
            for p in prioriteiten
            for jaar in aanvraag.oproep.jaren
            for n in range(n_per_cell)
        )

    Actie.objects.bulk_create(
        Actie(aanvraag=aanvraag, prioriteit=p, jaar=2030, titel="a") for p in prioriteiten
    )
    assert Actie.objects.count() == 4
    client.get(url)
    cache.clear()  # both views draw the matrix and check completeness (not kept from before)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(5)
    assert Actie.objects.count() == 60
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


# --- Uploads -------------------------------------------------------------------------------------


def upload(client, aanvraag, file, bijlagetype_code="lso-vdab", bestuur=None):
    bijlagetype = aanvraag.oproep.bijlagetypes.get(code=bijlagetype_code)
    data = {"bijlagetype": bijlagetype.pk, "bestand": file}
    if bestuur is not None:
        data["bestuur"] = bestuur.pk
    return client.post(f"/aanvragen/{aanvraag.pk}/bijlagen/", data)


def test_real_pdf_is_accepted_stored_privately_and_downloadable(aanvraag, regisseur, beoordelaar):
    response = upload(client_for(regisseur), aanvraag, pdf_upload("../../etc/LSO VDAB.pdf"))
    assert response.status_code == 302
    bijlage = Bijlage.objects.get()
    assert bijlage.naam == "LSO VDAB.pdf"
    assert bijlage.bestand.name == f"bijlagen/{aanvraag.pk}/{bijlage.sha256}.pdf"
    download = client_for(beoordelaar).get(f"/aanvragen/{aanvraag.pk}/bijlagen/{bijlage.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf"


def test_per_member_decision_needs_a_member(aanvraag, regisseur):
    response = upload(
        client_for(regisseur), aanvraag, pdf_upload(), bijlagetype_code="beslissing-lid"
    )
    assert "Kies het lid waarvoor deze beslissing geldt" in response.content.decode()
    assert not Bijlage.objects.exists()


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("foto.pdf", PNG, "geen PDF"),
        ("leeg.pdf", b"", "Het bestand is leeg"),
        ("kapot.pdf", b"%PDF-1.7\nniets\n", "beschadigd"),
    ],
)
def test_bad_uploads_are_refused_with_a_message(aanvraag, regisseur, name, content, message):
    response = upload(client_for(regisseur), aanvraag, _file(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Bijlage.objects.exists()


def test_upload_over_10_mb_is_refused(aanvraag, regisseur):
    big = pdf_bytes() + b"%" + b"x" * (11 * 1024 * 1024)
    response = upload(client_for(regisseur), aanvraag, _file("groot.pdf", big))
    assert "het maximum is 10 MB" in response.content.decode()
    assert not Bijlage.objects.exists()


# --- Submission ----------------------------------------------------------------------------------


def test_submission_freezes_the_aanvraag_and_confirms(
    aanvraag, regisseur, mailoutbox, django_capture_on_commit_callbacks
):
    fill_everything(aanvraag, regisseur)
    client = client_for(regisseur)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/aanvragen/{aanvraag.pk}/indienen/", {"mandaat": "on"}, follow=True
        )
    body = response.content.decode()
    assert "Uw aanvraag is ingediend op" in body
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.INGEDIEND
    assert aanvraag.ingediend_door == regisseur
    assert [m.to for m in mailoutbox] == [[regisseur.email]]
    # frozen: no more saves, the form is disabled
    client.post(f"/aanvragen/{aanvraag.pk}/teksten/", {"versie": aanvraag.versie, "visie": "later"})
    aanvraag.refresh_from_db()
    assert aanvraag.visie == "Verzonnen visie."
    page = client.get(f"/aanvragen/{aanvraag.pk}/teksten/").content.decode()
    assert "disabled" in page
    assert "Opslaan als concept" not in page


def test_incomplete_submission_is_refused_with_what_is_missing(aanvraag, regisseur):
    response = client_for(regisseur).post(
        f"/aanvragen/{aanvraag.pk}/indienen/", {"mandaat": "on"}, follow=True
    )
    body = response.content.decode()
    assert "Nog niet volledig: Omgevingsanalyse." in body
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.CONCEPT


def test_saved_amount_is_shown_in_dutch_notation_and_saves_again_in_english(aanvraag, regisseur):
    client = client_for(regisseur)
    actie = ActieFactory.create(aanvraag=aanvraag, budget="12500.50")
    url = f"/aanvragen/{aanvraag.pk}/acties/{actie.pk}/"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get(url).content.decode()
    assert 'value="12.500,50"' in body
    data = {"versie": 1, "prioriteit": actie.prioriteit_id, "jaar": actie.jaar,
            "titel": actie.titel, "budget": "12.500,50"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    actie.refresh_from_db()
    assert str(actie.budget) == "12500.50"
