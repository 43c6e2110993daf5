"""A granted aanvraag of alice's verband (EUR 50.000 a year, 2030-2032), its decision recorded
without a letter, for the tests of what follows the decision."""

from __future__ import annotations

import pytest

from applications.aanvragen.models import Aanvraag
from applications.accounts.models import User
from applications.besturen.models import Regieverband
from applications.oproepen.models import Oproep

from ..factories import AanvraagFactory, BeslissingFactory


@pytest.fixture
def toegekend(verband: Regieverband, oproep: Oproep, beoordelaar: User) -> Aanvraag:
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, goedgekeurd=True)
    BeslissingFactory.create(aanvraag=aanvraag, door=beoordelaar)
    return aanvraag
