"""The page of a regieverband: who may see it."""

import pytest
from django.urls import reverse

from ..conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "expected"),
    [("regisseur", 200), ("collega", 404), ("beoordelaar", 200), ("beheerder", 200), (None, 302)],
)
def test_regieverband_page_permissions(who, expected, verband, request):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(reverse("regieverband_detail", args=[verband.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert "73107" in response.content.decode()


def test_unknown_regieverband_is_404(beheerder):
    assert client_for(beheerder).get("/regieverbanden/999999/").status_code == 404
