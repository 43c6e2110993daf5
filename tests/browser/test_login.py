import pytest
from playwright.sync_api import Page, expect

from .conftest import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_log_in_see_dashboard_and_switch_language(page: Page, live_server, regisseur, verband):
    log_in(page, live_server.url, regisseur.email, "geheim-wachtwoord-123")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Test")
    expect(page.get_by_role("link", name=verband.naam)).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "nl-BE"
    assert_accessible(page)

    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wijzig taal").click()
    expect(page.get_by_role("heading", name="My regieverbanden")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)


def test_login_page_is_accessible_and_wrong_login_is_explained(page: Page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    log_in(page, live_server.url, "niemand@example.org", "verkeerd")
    expect(page.get_by_text("horen niet bij elkaar")).to_be_visible()
    assert_accessible(page)
