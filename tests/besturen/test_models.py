"""The constraints of besturen and memberships, in the model and in the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from applications.besturen.models import Lidmaatschap, LokaalBestuur

from ..factories import RegieverbandFactory

pytestmark = pytest.mark.django_db


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
