"""Free texts have a maximum, in the form, the model and the database, said the same way as the
counter beside the field says it, and nothing typed is lost when the server refuses it."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.state import ProjectState

from applications.aanvragen.constants import OMGEVINGSANALYSE_MAX
from applications.aanvragen.forms import TekstenForm
from applications.aanvragen.models import Aanvraag
from applications.core.teksten import BeperkingZonderOudeRijen, TekstLimiet, lengte_beperking

from ..conftest import client_for

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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_adding_the_limit_keeps_a_longer_text_saved_before_it(aanvraag: Aanvraag) -> None:
    """The migration on PostgreSQL: NOT VALID, so an old long text neither blocks the migration
    nor is cut; a new or changed row is checked."""
    assert connection.vendor == "postgresql"
    beperking = lengte_beperking("omgevingsanalyse", OMGEVINGSANALYSE_MAX, "aanvragen_aanvraag")
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE aanvragen_aanvraag DROP CONSTRAINT "{beperking.name}"')
    oud = "o" * (OMGEVINGSANALYSE_MAX + 500)
    Aanvraag.objects.filter(pk=aanvraag.pk).update(omgevingsanalyse=oud)

    operatie = BeperkingZonderOudeRijen(model_name="aanvraag", constraint=beperking)
    staat = ProjectState.from_apps(apps)
    with connection.schema_editor() as editor:
        operatie.database_forwards("aanvragen", editor, staat, staat)

    aanvraag.refresh_from_db()
    assert aanvraag.omgevingsanalyse == oud, "not cut"
    with pytest.raises(IntegrityError), transaction.atomic():
        Aanvraag.objects.filter(pk=aanvraag.pk).update(omgevingsanalyse=oud + "!")
