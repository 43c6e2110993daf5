"""Attachments the call asks with an opvolgmoment: a setting of the call (a `BijlageType` with
`voor` = opvolgmoment), uploaded through the aanvraag's upload check into the same storage; a
required one blocks submitting; the verband's regisseurs and WSE download them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.aanvragen.completeness import aanvraag_completeness
from applications.aanvragen.constants import PDF_MAX_UPLOAD_BYTES
from applications.aanvragen.forms import BijlageForm
from applications.oproepen.constants import Bijlagemoment
from applications.oproepen.models import BijlageType
from applications.uitvoering.constants import Opvolgstatus
from applications.uitvoering.forms import OpvolgbijlageForm
from applications.uitvoering.models import Opvolgbijlage
from applications.uitvoering.opvolging import (
    opvolgbijlage_toevoegen,
    opvolgbijlage_verwijderen,
    opvolgmoment_bewaren,
)

from ..aanvraag_helpers import pdf_bytes, pdf_upload
from ..aanvragen.test_uploads import pdf_with_document_javascript
from ..conftest import client_for
from ..factories import AanvraagFactory, BeslissingFactory, OproepFactory
from .conftest import volledig

pytestmark = pytest.mark.django_db

NA_2023 = datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC)
URL = "/aanvragen/{pk}/uitvoering/opvolging/2023/"


@pytest.fixture
def jaarrekening(lopend) -> BijlageType:
    return BijlageType.objects.create(
        oproep=lopend.oproep,
        code="jaarrekening",
        naam="Jaarrekening van de trekker",
        voor=Bijlagemoment.OPVOLGMOMENT,
        verplicht=True,
    )


def _toevoegen(aanvraag, by, bijlagetype, upload=None):
    return opvolgbijlage_toevoegen(
        aanvraag=aanvraag,
        jaar=2023,
        by=by,
        bijlagetype=bijlagetype,
        upload=upload or pdf_upload("jaarrekening 2023.pdf"),
        now=NA_2023,
    )


def test_an_opvolgmoment_attachment_is_not_asked_with_the_aanvraag(lopend, jaarrekening):
    form = BijlageForm(oproep=lopend.oproep, leden=[])
    assert jaarrekening not in form.fields["bijlagetype"].queryset  # type: ignore[attr-defined]
    assert "Jaarrekening van de trekker" not in [
        c.label for c in aanvraag_completeness(lopend).checks
    ]
    veld = OpvolgbijlageForm(aanvraag=lopend).fields["bijlagetype"]
    assert list(veld.queryset) == [jaarrekening]  # type: ignore[attr-defined]


def test_one_per_member_is_not_for_an_opvolgmoment(lopend):
    with pytest.raises(ValidationError) as refused:
        BijlageType(
            oproep=lopend.oproep,
            code="x",
            naam="X",
            voor=Bijlagemoment.OPVOLGMOMENT,
            per_lid=True,
        ).clean()
    assert "per_lid" in refused.value.message_dict


def test_a_required_attachment_blocks_submitting_until_it_is_there(lopend, regisseur, jaarrekening):
    with pytest.raises(ValidationError) as refused:
        opvolgmoment_bewaren(
            aanvraag=lopend,
            jaar=2023,
            by=regisseur,
            invoer=volledig(lopend, 2023),
            indienen=True,
            now=NA_2023,
        )
    assert refused.value.messages == [
        "Bijlage 'Jaarrekening van de trekker' ontbreekt: laad ze op als PDF."
    ]
    bijlage = _toevoegen(lopend, regisseur, jaarrekening)
    assert (bijlage.naam, bijlage.opgeladen_door) == ("jaarrekening 2023.pdf", regisseur)
    bijlage.opvolgmoment.refresh_from_db()
    assert bijlage.opvolgmoment.gewijzigd_op == NA_2023  # the API sees the change
    assert bijlage.bestand.name.startswith(f"opvolging/{lopend.pk}/2023/")
    moment = opvolgmoment_bewaren(
        aanvraag=lopend,
        jaar=2023,
        by=regisseur,
        invoer=volledig(lopend, 2023),
        indienen=True,
        now=NA_2023,
    )
    assert moment.status == Opvolgstatus.INGEDIEND
    # Submitted: the attachments are fixed too.
    with pytest.raises(ValidationError, match="ingediend en kan niet meer gewijzigd"):
        _toevoegen(lopend, regisseur, jaarrekening)
    with pytest.raises(ValidationError, match="ingediend en kan niet meer gewijzigd"):
        opvolgbijlage_verwijderen(bijlage=bijlage, by=regisseur, now=NA_2023)


def test_an_optional_attachment_does_not_block(lopend, regisseur, jaarrekening):
    jaarrekening.verplicht = False
    jaarrekening.save()
    moment = opvolgmoment_bewaren(
        aanvraag=lopend,
        jaar=2023,
        by=regisseur,
        invoer=volledig(lopend, 2023),
        indienen=True,
        now=NA_2023,
    )
    assert moment.status == Opvolgstatus.INGEDIEND


def test_who_uploads_follows_who_fills_it_in(
    lopend, regisseur, collega, beoordelaar, beheerder, jaarrekening
):
    for wie in (collega, beoordelaar, beheerder):
        with pytest.raises(PermissionDenied):
            _toevoegen(lopend, wie, jaarrekening)
    lopend.oproep.aparte_rapportering = False
    lopend.oproep.save()
    lopend.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _toevoegen(lopend, regisseur, jaarrekening)
    assert _toevoegen(lopend, beoordelaar, jaarrekening).opgeladen_door == beoordelaar


def test_only_the_calls_opvolgmoment_attachments_are_accepted(lopend, regisseur, jaarrekening):
    aanvraagtype = lopend.oproep.aanvraag_bijlagetypes().first()
    vreemd = BijlageType.objects.create(
        oproep=OproepFactory.create(slug="vreemd"),
        code="jaarrekening",
        naam="Vreemd",
        voor=Bijlagemoment.OPVOLGMOMENT,
    )
    for bijlagetype in (aanvraagtype, vreemd):
        with pytest.raises(ValidationError) as refused:
            _toevoegen(lopend, regisseur, bijlagetype)
        assert "bijlagetype" in refused.value.message_dict
    assert not Opvolgbijlage.objects.exists()


@pytest.mark.parametrize(
    ("inhoud", "code"),
    [
        (b"MZ\x90\x00 not a pdf", "not_pdf"),
        (b"", "empty"),
        (b"%PDF-1.7\n" + b"0" * PDF_MAX_UPLOAD_BYTES, "too_large"),
        (b"%PDF-1.7\nkapot", "broken_pdf"),
        (pdf_with_document_javascript(), "active_content"),
    ],
)
def test_the_aanvraags_upload_check_refuses_the_same_files(
    lopend, regisseur, jaarrekening, inhoud, code
):
    upload = SimpleUploadedFile("jaarrekening.pdf", inhoud, content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        _toevoegen(lopend, regisseur, jaarrekening, upload)
    assert refused.value.error_list[0].code == code
    assert not Opvolgbijlage.objects.exists()


def test_upload_download_and_delete_through_the_pages(
    lopend,
    regisseur,
    collega,
    beoordelaar,
    beheerder,
    jaarrekening,
    django_capture_on_commit_callbacks,
):
    url = URL.format(pk=lopend.pk)
    regie = client_for(regisseur)
    geweigerd = regie.post(
        f"{url}bijlagen/",
        {
            "bijlagetype": jaarrekening.pk,
            "bestand": SimpleUploadedFile("x.pdf", b"geen pdf", content_type="application/pdf"),
        },
    )
    assert geweigerd.status_code == 400
    assert "Dit bestand is geen PDF" in geweigerd.content.decode()
    inhoud = pdf_bytes()
    naam = "..\\..\\jaar\u202erekening\x00.pdf"
    antwoord = regie.post(
        f"{url}bijlagen/",
        {
            "bijlagetype": jaarrekening.pk,
            "bestand": SimpleUploadedFile(naam, inhoud, content_type="application/pdf"),
        },
    )
    assert antwoord.status_code == 302
    bijlage = Opvolgbijlage.objects.get()
    assert bijlage.naam == "jaarrekening.pdf"
    pagina = regie.get(url).content.decode()
    assert "jaarrekening.pdf" in pagina and "Jaarrekening van de trekker" in pagina
    download = f"{url}bijlagen/{bijlage.pk}/"
    for wie in (regisseur, beoordelaar, beheerder):
        antwoord = client_for(wie).get(download)
        assert antwoord.status_code == 200
        assert b"".join(antwoord.streaming_content) == inhoud  # type: ignore[attr-defined]
        assert antwoord["Content-Disposition"] == 'attachment; filename="jaarrekening.pdf"'
        assert antwoord["X-Content-Type-Options"] == "nosniff"
    assert client_for(collega).get(download).status_code == 404
    assert client_for(None).get(download).status_code == 302
    # An id from the URL reaches nothing of another year or another aanvraag.
    assert (
        regie.get(
            f"/aanvragen/{lopend.pk}/uitvoering/opvolging/2024/bijlagen/{bijlage.pk}/"
        ).status_code
        == 404
    )
    ander = AanvraagFactory.create(
        regieverband=lopend.regieverband,
        oproep=OproepFactory.create(slug="ander"),
        goedgekeurd=True,
    )
    BeslissingFactory.create(aanvraag=ander, door=beoordelaar)
    assert (
        regie.get(
            f"/aanvragen/{ander.pk}/uitvoering/opvolging/2023/bijlagen/{bijlage.pk}/"
        ).status_code
        == 404
    )
    # Deleting: not by WSE (403), by the regisseur; the file goes once committed.
    assert client_for(beoordelaar).post(f"{download}verwijderen/").status_code == 403
    pad, storage = bijlage.bestand.name, bijlage.bestand.storage
    with django_capture_on_commit_callbacks(execute=True):
        assert regie.post(f"{download}verwijderen/").status_code == 302
    assert not Opvolgbijlage.objects.exists()
    assert not storage.exists(pad)
