import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from applications.aanvragen.models import Aanvraag
from applications.besturen.models import Lidmaatschap, LokaalBestuur

from ..factories import AanvraagFactory, OproepFactory, RegieverbandFactory

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


@pytest.mark.parametrize("code", ["7107", "710722", "07107", "7107a", ""])
def test_invalid_nis_code_is_refused_with_a_clear_message(code):
    bestuur = LokaalBestuur(nis_code=code, naam="Fout", provincie="70000")
    with pytest.raises(ValidationError) as excinfo:
        bestuur.full_clean()
    assert "nis_code" in excinfo.value.message_dict


def test_invalid_nis_code_is_refused_by_the_database_too():
    with pytest.raises(IntegrityError), transaction.atomic():
        LokaalBestuur.objects.create(nis_code="0123x", naam="Fout", provincie="70000")


def test_nis_code_is_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        LokaalBestuur.objects.create(nis_code="71072", naam="Dubbel", provincie="70000")


def test_membership_ending_before_it_starts_is_refused():
    lid = Lidmaatschap(
        regieverband=RegieverbandFactory.create(),
        bestuur=LokaalBestuur.objects.get(nis_code="71072"),
        van=datetime.date(2024, 1, 1),
        tot=datetime.date(2023, 12, 31),
    )
    with pytest.raises(ValidationError) as excinfo:
        lid.full_clean()
    assert "kan niet eindigen voor het begint" in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        lid.save()


def test_reference_number_names_the_call():
    aanvraag = AanvraagFactory.create(oproep=OproepFactory.create(slug="2023-2025"))
    assert aanvraag.referentie == f"RR-2023-2025-{aanvraag.pk:04d}"
