"""The deadline band of a draft whose deadline passed (never submitted, no extension): its red
sentence on the band's yellow passes axe-core's colour contrast, on a phone and on a desktop."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from applications.aanvragen.models import Aanvraag
from applications.accounts.models import User
from applications.oproepen.models import Oproep

from .conftest import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("breedte", [375, 1280])
def test_the_passed_deadline_is_readable_on_the_band(
    page: Page, live_server: LiveServer, regisseur: User, aanvraag: Aanvraag, breedte: int
) -> None:
    Oproep.objects.filter(pk=aanvraag.oproep_id).update(
        deadline=timezone.now() - datetime.timedelta(days=2)
    )
    assert aanvraag.ingediend_op is None
    page.set_viewport_size({"width": breedte, "height": 900})
    log_in(page, live_server.url, regisseur.email, "geheim-wachtwoord-123")
    page.goto(f"{live_server.url}/aanvragen/{aanvraag.pk}/")
    zin = page.locator("#deadline").get_by_text("De termijn is voorbij")
    expect(zin).to_be_visible()
    assert zin.evaluate("e => getComputedStyle(e).color") == "rgb(155, 28, 28)"
    assert_accessible(page)
