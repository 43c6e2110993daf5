"""The beheer site (Django's admin at /beheer/) passes axe like every other page: a beheerder
walks every list, add form and change form it links to, on a laptop and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from applications.aanvragen.models import Aanvraag
from applications.accounts.models import User
from applications.beheer.models import Onderhoudsmelding
from applications.berichten.models import Bericht

from .conftest import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "geheim-wachtwoord-123"
MODELLIJST = re.compile(r"^/beheer/[a-z_]+/[a-z_]+/$")


def _links(page: Page, selector: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        selector, "els => els.map(e => e.getAttribute('href'))"
    )
    return list(dict.fromkeys(hrefs))


def test_every_page_of_the_beheer_site_is_accessible_and_fits_a_phone(
    page: Page, live_server: LiveServer, beheerder: User, aanvraag: Aanvraag
) -> None:
    base = live_server.url
    Onderhoudsmelding.objects.create(tekst="Onderhoud zaterdag van 8 tot 10 uur.", actief=True)
    Bericht.objects.create(aan=["iemand@example.org"], onderwerp="Proef", sjabloon="proef")
    log_in(page, base, beheerder.email, PASSWORD)

    for breedte in (1280, 375):
        page.set_viewport_size({"width": breedte, "height": 800})
        page.goto(base + "/beheer/")
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= breedte
        # Each task's link reads on one line (it once broke letter by letter).
        for link in page.locator("#beheertaken a").all():
            vak = link.bounding_box()
            assert vak is not None and vak["width"] > vak["height"], link.inner_text()

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(base + "/beheer/")
    lijsten = [h for h in _links(page, "#content-main a") if MODELLIJST.match(h)]
    assert "/beheer/aanvragen/aanvraag/" in lijsten and "/beheer/oproepen/oproep/" in lijsten
    bezocht = []
    for lijst in lijsten:
        page.goto(base + lijst)
        assert_accessible(page)
        bezocht.append(lijst)
        wijzigen = _links(page, "#result_list tbody th a")[:1]
        paden = wijzigen + _links(page, ".object-tools a.addlink")
        for pad in paden:
            antwoord = page.goto(base + pad)
            assert antwoord is not None and antwoord.status == 200, pad
            assert_accessible(page)
            bezocht.append(pad)
    # Every kind of form was seen: change forms with inlines, date-and-time fields, filter boxes
    # and a search-as-you-type select among them.
    assert f"/beheer/aanvragen/aanvraag/{aanvraag.pk}/change/" in bezocht
    assert any(p.startswith("/beheer/oproepen/oproep/") and "change" in p for p in bezocht)
    assert any(p.startswith("/beheer/besturen/lokaalbestuur/") and "change" in p for p in bezocht)
    assert "/beheer/accounts/user/add/" in bezocht
