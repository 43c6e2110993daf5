"""Every pair of statuses, for every role, against the one table in constants.py."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.aanvragen.models import Statuswijziging
from applications.aanvragen.services import aanvraag_transition
from applications.aanvragen.statuses import AANVRAAG_TRANSITIONS, AanvraagStatus
from applications.accounts.constants import Rol

from ..factories import AanvraagFactory

pytestmark = pytest.mark.django_db

ROLE_FIXTURE = {Rol.REGISSEUR: "regisseur", Rol.BEOORDELAAR: "beoordelaar"}
PAIRS = [(a, b) for a, b in itertools.product(AanvraagStatus, AanvraagStatus) if a != b]


@pytest.mark.parametrize(("van", "naar"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
@pytest.mark.parametrize("rol", [Rol.REGISSEUR, Rol.BEOORDELAAR, "collega", "beheerder"])
def test_transition_follows_the_table(van, naar, rol, verband, request):
    user = request.getfixturevalue(ROLE_FIXTURE.get(rol, str(rol)))
    aanvraag = AanvraagFactory.create(regieverband=verband, status=van)
    allowed_roles = AANVRAAG_TRANSITIONS.get((van, naar))
    if allowed_roles and rol in allowed_roles:
        aanvraag_transition(aanvraag=aanvraag, naar=naar, by=user, reden="test")
        aanvraag.refresh_from_db()
        assert aanvraag.status == naar
        history = Statuswijziging.objects.get(aanvraag=aanvraag)
        assert (history.van, history.naar, history.door, history.reden) == (van, naar, user, "test")
    else:
        expected = PermissionDenied if allowed_roles else ValidationError
        with pytest.raises(expected):
            aanvraag_transition(aanvraag=aanvraag, naar=naar, by=user)
        aanvraag.refresh_from_db()
        assert aanvraag.status == van
        assert not Statuswijziging.objects.filter(aanvraag=aanvraag).exists()
