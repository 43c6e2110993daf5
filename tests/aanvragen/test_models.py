"""The aanvraag's constraints: one per verband and call, and its reference number."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from applications.aanvragen.models import Aanvraag

from ..factories import AanvraagFactory, OproepFactory

pytestmark = pytest.mark.django_db


def test_second_aanvraag_for_same_verband_and_oproep_is_refused_by_the_database():
    aanvraag = AanvraagFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        Aanvraag.objects.create(regieverband=aanvraag.regieverband, oproep=aanvraag.oproep)


def test_same_verband_may_apply_to_another_oproep():
    aanvraag = AanvraagFactory.create()
    AanvraagFactory.create(regieverband=aanvraag.regieverband, oproep=OproepFactory.create())
    assert Aanvraag.objects.filter(regieverband=aanvraag.regieverband).count() == 2


def test_duplicate_aanvraag_gives_a_clear_validation_message():
    aanvraag = AanvraagFactory.create()
    duplicate = Aanvraag(regieverband=aanvraag.regieverband, oproep=aanvraag.oproep)
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "heeft al een aanvraag voor deze oproep" in str(excinfo.value)


def test_reference_number_names_the_call():
    aanvraag = AanvraagFactory.create(oproep=OproepFactory.create(slug="2023-2025"))
    assert aanvraag.referentie == f"RR-2023-2025-{aanvraag.pk:04d}"
