"""Free texts have a maximum, in the form, the model and the database, said the same way as the
counter beside the field says it, and nothing typed is lost when the server refuses it."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.state import ProjectState

from applications.aanvragen.constants import (
    ACTIE_BESCHRIJVING_MAX,
    ACTIE_REGEL_MAX,
    ACTIE_TITEL_MAX,
    OMGEVINGSANALYSE_MAX,
)
from applications.aanvragen.forms import ActieForm, TekstenForm, VerbandContactForm
from applications.aanvragen.models import Aanvraag
from applications.core.teksten import BeperkingZonderOudeRijen, TekstLimiet, lengte_beperking

from ..conftest import client_for
from ..factories import AanvraagFactory

pytestmark = pytest.mark.django_db


def test_the_message_counts_as_the_counter_does() -> None:
    with pytest.raises(ValidationError) as fout:
        TekstLimiet(4000)("x" * 4012)
    assert fout.value.messages == [
        "4.012 / 4.000 tekens: 12 tekens te veel. Maak de tekst korter; wat u typte, staat nog "
        "in het veld."
    ]
    TekstLimiet(4000)("x" * 4000)


def test_the_field_has_a_counter_and_no_maxlength_that_would_cut_a_paste() -> None:
    html = str(TekstenForm(initial={"versie": 1})["omgevingsanalyse"])
    assert f'data-max-tekens="{OMGEVINGSANALYSE_MAX}"' in html
    assert "maxlength" not in html


@pytest.mark.parametrize(
    ("form", "veld", "limiet"),
    [
        ("actie", "titel", ACTIE_TITEL_MAX),
        ("actie", "doelgroep", ACTIE_REGEL_MAX),
        ("actie", "indicator", ACTIE_REGEL_MAX),
        ("actie", "partners", ACTIE_REGEL_MAX),
        ("verband", "contact_naam", 200),
        ("verband", "contact_functie", 200),
    ],
)
def test_a_long_one_line_field_has_the_counter_and_no_maxlength_either(
    form: str, veld: str, limiet: int, aanvraag: Aanvraag
) -> None:
    """A pasted title longer than its column was cut by the browser's maxlength without a word."""
    formulier = (
        ActieForm(oproep=aanvraag.oproep) if form == "actie" else VerbandContactForm(initial={})
    )
    html = str(formulier[veld])
    assert f'data-max-tekens="{limiet}"' in html and 'type="text"' in html
    assert "maxlength" not in html
    assert formulier.fields[veld].clean("x" * limiet) == "x" * limiet
    with pytest.raises(ValidationError, match=f"/ {limiet // 100}00 tekens: 1 teken te veel"):
        formulier.fields[veld].clean("x" * (limiet + 1))


def test_an_action_title_over_its_limit_is_refused_and_stays_in_the_field(
    aanvraag: Aanvraag, regisseur: Any
) -> None:
    titel = "Netwerk-" * 30  # 240 characters
    prioriteit = aanvraag.oproep.prioriteiten.first()
    assert prioriteit is not None
    antwoord = client_for(regisseur).post(
        f"/aanvragen/{aanvraag.pk}/acties/nieuw/",
        {"prioriteit": prioriteit.pk, "jaar": aanvraag.oproep.eerste_jaar, "titel": titel},
    )
    pagina = antwoord.content.decode()
    assert "240 / 200 tekens: 40 tekens te veel" in pagina
    assert f'value="{titel}"' in pagina, "what was typed is still in the field"
    assert not aanvraag.acties.exists()


def test_a_line_break_counts_once_as_the_counter_counts_it() -> None:
    """Browsers send a text area's line breaks as CR LF: 4,000 characters with breaks were
    refused as 4,000 plus the number of breaks."""
    regel = "a" * 39 + "\n"
    getypt = regel * (ACTIE_BESCHRIJVING_MAX // 40)  # 4,000 characters, 100 of them breaks
    assert len(getypt) == ACTIE_BESCHRIJVING_MAX
    verzonden = getypt.replace("\n", "\r\n")
    veld = ActieForm.base_fields["beschrijving"]
    assert veld.clean(verzonden) == getypt.strip()


def test_a_text_over_its_limit_is_refused_and_stays_in_the_field(
    aanvraag: Aanvraag, regisseur: Any
) -> None:
    te_lang = "Analyse " * 2587 + "slot"  # 20,700 characters
    antwoord = client_for(regisseur).post(
        f"/aanvragen/{aanvraag.pk}/teksten/",
        {"versie": aanvraag.versie, "omgevingsanalyse": te_lang, "visie": "Kort."},
    )
    pagina = antwoord.content.decode()
    assert antwoord.status_code == 200
    assert "20.700 / 20.000 tekens: 700 tekens te veel" in pagina
    assert te_lang in pagina, "what was typed is still in the field"
    aanvraag.refresh_from_db()
    assert aanvraag.omgevingsanalyse == "" and aanvraag.visie == ""


def test_the_model_refuses_it_too(aanvraag: Aanvraag) -> None:
    aanvraag.omgevingsanalyse = "x" * (OMGEVINGSANALYSE_MAX + 1)
    with pytest.raises(ValidationError, match="1 teken te veel"):
        aanvraag.full_clean()


def test_the_database_refuses_what_bypasses_both(aanvraag: Aanvraag) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Aanvraag.objects.filter(pk=aanvraag.pk).update(
            omgevingsanalyse="x" * (OMGEVINGSANALYSE_MAX + 1)
        )


def _migreer_opnieuw(beperking: Any, model_name: str, app_label: str) -> None:
    """Run the migration's operation again on the current data."""
    operatie = BeperkingZonderOudeRijen(model_name=model_name, constraint=beperking)
    staat = ProjectState.from_apps(apps)
    with transaction.atomic(), connection.schema_editor() as editor:
        operatie.database_forwards(app_label, editor, staat, staat)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_adding_the_limit_keeps_a_longer_text_saved_before_it_and_its_row_writable(
    aanvraag: Aanvraag, caplog: pytest.LogCaptureFixture
) -> None:
    """The migration finds the rows already over the limit and keeps them as exceptions: the
    migration does not fail, nothing is cut, the old row still takes other changes (a plain NOT
    VALID constraint refused every UPDATE of it), it cannot grow, and every other row is
    checked."""
    assert connection.vendor == "postgresql"
    beperking = lengte_beperking("omgevingsanalyse", OMGEVINGSANALYSE_MAX, "aanvragen_aanvraag")
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE aanvragen_aanvraag DROP CONSTRAINT "{beperking.name}"')
    oud = "o" * (OMGEVINGSANALYSE_MAX + 500)
    Aanvraag.objects.filter(pk=aanvraag.pk).update(omgevingsanalyse=oud)
    ander = Aanvraag.objects.exclude(pk=aanvraag.pk).first() or AanvraagFactory.create()

    _migreer_opnieuw(beperking, "aanvraag", "aanvragen")

    aanvraag.refresh_from_db()
    assert aanvraag.omgevingsanalyse == oud, "not cut"
    Aanvraag.objects.filter(pk=aanvraag.pk).update(versie=aanvraag.versie + 1, visie="Nieuw.")
    aanvraag.refresh_from_db()
    assert aanvraag.visie == "Nieuw.", "the old row still takes other changes"
    Aanvraag.objects.filter(pk=aanvraag.pk).update(omgevingsanalyse=oud[:-10])
    with pytest.raises(IntegrityError), transaction.atomic():
        Aanvraag.objects.filter(pk=aanvraag.pk).update(omgevingsanalyse=oud + "!")
    with pytest.raises(IntegrityError), transaction.atomic():
        Aanvraag.objects.filter(pk=ander.pk).update(
            omgevingsanalyse="x" * (OMGEVINGSANALYSE_MAX + 1)
        )
    assert f"[{aanvraag.pk}]" in caplog.text, "the exceptions are logged"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_longer_texts_the_constraint_is_the_plain_one(aanvraag: Aanvraag) -> None:
    beperking = lengte_beperking("omgevingsanalyse", OMGEVINGSANALYSE_MAX, "aanvragen_aanvraag")
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE aanvragen_aanvraag DROP CONSTRAINT "{beperking.name}"')
    _migreer_opnieuw(beperking, "aanvraag", "aanvragen")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid), convalidated FROM pg_constraint WHERE conname = %s",
            [beperking.name],
        )
        definitie, gevalideerd = cursor.fetchone()
    assert gevalideerd and " OR " not in definitie and "20000" in definitie


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_text_saved_before_its_limit_does_not_stop_other_changes_of_its_aanvraag(
    aanvraag: Aanvraag, regisseur: Any
) -> None:
    """After the migration the regisseur can still change the contact person and add an
    action; only saving the long text itself asks to shorten it, with nothing lost."""
    beperking = lengte_beperking("omgevingsanalyse", OMGEVINGSANALYSE_MAX, "aanvragen_aanvraag")
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE aanvragen_aanvraag DROP CONSTRAINT "{beperking.name}"')
    oud = "o" * (OMGEVINGSANALYSE_MAX + 500)
    Aanvraag.objects.filter(pk=aanvraag.pk).update(omgevingsanalyse=oud)
    _migreer_opnieuw(beperking, "aanvraag", "aanvragen")
    client = client_for(regisseur)

    antwoord = client.post(
        f"/aanvragen/{aanvraag.pk}/verband/",
        {"versie": aanvraag.versie, "contact_naam": "An Peeters"},
    )
    assert antwoord.status_code == 302, antwoord.content.decode()[:2000]
    aanvraag.refresh_from_db()
    assert aanvraag.contact_naam == "An Peeters" and aanvraag.omgevingsanalyse == oud

    prioriteit = aanvraag.oproep.prioriteiten.first()
    assert prioriteit is not None
    antwoord = client.post(
        f"/aanvragen/{aanvraag.pk}/acties/nieuw/",
        {
            "prioriteit": prioriteit.pk,
            "jaar": aanvraag.oproep.eerste_jaar,
            "titel": "Netwerk",
            "budget": "0",
        },
    )
    assert antwoord.status_code == 302
    assert aanvraag.acties.filter(titel="Netwerk").exists()

    pagina = client.post(
        f"/aanvragen/{aanvraag.pk}/teksten/",
        {"versie": aanvraag.versie + 1, "omgevingsanalyse": oud, "visie": "Kort."},
    ).content.decode()
    assert "20.500 / 20.000 tekens: 500 tekens te veel" in pagina and oud in pagina
