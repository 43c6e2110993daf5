"""Playwright driving Debian's Chromium (headless, --no-sandbox) against pytest-django's live
server, and axe-core for WCAG 2.1 AA checks. Browser downloads are never used."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import totp_code

# Playwright's sync API runs an event loop in this thread; the ORM calls of the tests are still
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright's event loop stays set as this thread's running loop, and Django then keeps its
    # connections per task instead of per thread: from here on this thread gets new connection
    # objects, without the data serialized at setup. Every later serialized_rollback test on this
    # worker (browser or not) would start from empty tables; hand the data over.
    serialized = {
        alias: vars(connections[alias])["_test_serialized_contents"]
        for alias in connections
        if "_test_serialized_contents" in vars(connections[alias])
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            vars(connections[alias])["_test_serialized_contents"] = contents
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels")
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Every page runs under the production Content-Security-Policy; Chromium reports what it
    # blocked on the console, and a blocked script or style fails the test.
    blocked: list[str] = []
    # axe-core itself sets inline styles while it checks some pages; those are not the page's.
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if "Content Security Policy" in message.text and not getattr(page, "axe_bezig", False)
            else None
        ),
    )
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not blocked, "blocked by the Content-Security-Policy:\n" + "\n".join(blocked)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def assert_accessible(page: Page) -> None:
    """Zero axe-core violations of WCAG 2.1 A and AA on the current page."""
    page.axe_bezig = True  # type: ignore[attr-defined]
    try:
        results = Axe().run(page, options=WCAG_21_AA)
    finally:
        page.axe_bezig = False  # type: ignore[attr-defined]
    assert results.violations_count == 0, f"{page.url}\n{results.generate_snapshot()}"


def log_in(page: Page, base_url: str, email: str, password: str) -> None:
    """Log in through the form; WSE staff and beheerders also give their app's code (their app is
    set up first if they have none)."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
    if "/accounts/tweestaps/" not in page.url:
        return
    instellen = "/instellen/" in page.url
    page.get_by_label("Code").fill(app_code(email, confirmed=not instellen))
    page.get_by_role("button", name="Bevestigen").click()
    if instellen:
        page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()


def app_code(email: str, *, confirmed: bool = True) -> str:
    """The code the user's authenticator app shows now (the test plays the phone)."""
    device = TOTPDevice.objects.filter(user__email=email, confirmed=confirmed).latest("pk")
    # A code is accepted once per 30 s; a test that logs in twice may reuse it.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return totp_code(device)
