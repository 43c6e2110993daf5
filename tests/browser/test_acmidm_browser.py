"""The login through ACM/IDM in a real browser: the button on the login page, the provider's
own page (the tests' provider in its interactive mode, `tests/oidc_provider.py`), back in the
portal as a regisseur, and logging out of both."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from applications.accounts.models import User
from applications.besturen.kbo import FICTIEF_KBO
from applications.besturen.models import LokaalBestuur

from ..factories import LidmaatschapFactory, RegieverbandFactory
from .conftest import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def provider_voor_browser(acmidm: Any, live_server: Any, settings: Any) -> Any:
    acmidm.interactief = True
    terug = f"{live_server.url}/accounts/acmidm/terug/"
    if terug not in acmidm.klant.redirect_uris:
        acmidm.klant.redirect_uris.append(terug)
    issuer = urlsplit(acmidm.issuer)
    # What settings.py adds to the policy when OIDC_ISSUER is set at start-up.
    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    directives["form-action"] = [*directives["form-action"], f"http://{issuer.netloc}"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    return acmidm


def test_a_regisseur_logs_in_with_the_acmidm_button_and_out_again(
    page: Page, live_server, provider_voor_browser
):
    trekker = LokaalBestuur.objects.get(nis_code="73107")
    trekker.kbo_gemeente = FICTIEF_KBO
    trekker.save()
    verband = RegieverbandFactory.create(naam="Maasland (browser)", trekker=trekker)
    LidmaatschapFactory.create(regieverband=verband, bestuur=trekker)

    page.goto(f"{live_server.url}/accounts/login/")
    knop = page.get_by_role("link", name="Aanmelden met ACM/IDM")
    expect(knop).to_be_visible()
    assert_accessible(page)
    knop.click()

    # The provider's own page: who logs in, with which role.
    expect(page.get_by_role("heading", name="Test-provider (geen ACM/IDM)")).to_be_visible()
    page.get_by_label("Subject (sub)").fill("rita-browser")
    page.get_by_label("Voornaam").fill("Rita")
    page.get_by_label("Rollen, gescheiden door spaties").fill(f"RegierolRegisseur:{FICTIEF_KBO}")
    page.get_by_role("button", name="Aanmelden bij de test-provider").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Rita")
    expect(page.get_by_text("Uw account is aangemaakt met de gegevens van ACM/IDM")).to_be_visible()
    expect(page.get_by_role("link", name="Maasland (browser)")).to_be_visible()
    assert_accessible(page)
    assert User.objects.get(oidc_sub="rita-browser").regieverbanden.get() == verband

    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/*")
    assert len(provider_voor_browser.verzoeken_naar("/logout")) == 1


def test_an_unknown_organisation_gets_the_dutch_page(
    page: Page, live_server, provider_voor_browser
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Aanmelden met ACM/IDM").click()
    page.get_by_label("Subject (sub)").fill("vreemd-browser")
    page.get_by_label("Rollen, gescheiden door spaties").fill("RegierolRegisseur:0000000394")
    page.get_by_role("button", name="Aanmelden bij de test-provider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden met ACM/IDM lukte niet")
    expect(page.get_by_text("kent het portaal niet")).to_be_visible()
    assert_accessible(page)
    assert not User.objects.filter(oidc_sub="vreemd-browser").exists()
