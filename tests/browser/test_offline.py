"""No character lost when the network goes: typed text is kept on the device, sent when the
connection is back, restored after the page was closed (or, when a colleague saved meanwhile,
compared on the conflict screen), and removed from the device at logout."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.services import aanvraag_update
from applications.accounts.models import User

from ..factories import UserFactory
from .conftest import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "geheim-wachtwoord-123"
SAVED = re.compile(r"Opgeslagen om \d{2}:\d{2}")
GEEN_VERBINDING = "Geen verbinding met het portaal."


def _wacht_op(aanvraag: Aanvraag, veld: str, tekst: str) -> str:
    """What the server has, once it has `tekst` (waits at most 15 s; not a timing assertion)."""
    for _ in range(150):
        waarde = Aanvraag.objects.values_list(veld, flat=True).get(pk=aanvraag.pk)
        if waarde == tekst:
            break
        time.sleep(0.1)
    return str(waarde)


def _portaal_sleutels(page: Page) -> list[str]:
    return page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('regierol:'))")


def test_a_regisseur_loses_no_character_when_the_network_goes(
    page: Page, live_server: LiveServer, regisseur: User, aanvraag: Aanvraag
) -> None:
    base = live_server.url
    context = page.context
    log_in(page, base, regisseur.email, PASSWORD)
    page.goto(f"{base}/aanvragen/{aanvraag.pk}/teksten/")
    analyse = page.get_by_label("Omgevingsanalyse", exact=True)
    analyse.press_sequentially("Eerste deel.", delay=5)
    expect(page.locator("#autosave-status")).to_have_text(SAVED, timeout=5_000)

    # The network goes while typing: a clear warning that stays, the save button stays here.
    context.set_offline(True)
    analyse.press_sequentially(" Tweede deel, zonder net.", delay=5)
    waarschuwing = page.get_by_role("alert").filter(has_text=GEEN_VERBINDING)
    expect(waarschuwing).to_be_visible(timeout=5_000)
    url = page.url
    page.get_by_role("button", name="Opslaan als concept").click()
    assert page.url == url, "no navigation to the browser's error page"
    expect(waarschuwing).to_be_visible()
    expect(waarschuwing).to_be_focused()
    assert_accessible(page)
    assert _portaal_sleutels(page), "a copy on the device"

    # The network comes back: the text is sent without a click, the warning goes.
    context.set_offline(False)
    tekst = "Eerste deel. Tweede deel, zonder net."
    assert _wacht_op(aanvraag, "omgevingsanalyse", tekst) == tekst
    expect(waarschuwing).to_be_hidden()
    expect(page.locator("#autosave-status")).to_have_text(SAVED)
    assert _portaal_sleutels(page) == [], "the copy goes once the server has the text"

    # Offline again, and the page is closed before anything reached the server.
    context.set_offline(True)
    visie = page.get_by_label("Visie en beleidsplanning")
    visie.press_sequentially("Een visie die alleen op dit toestel staat.", delay=5)
    expect(waarschuwing).to_be_visible(timeout=5_000)
    page.close()
    context.set_offline(False)

    # Opened again: the text is restored from the device and saved. (Under heavy load the
    # browser's offline emulation has once let the last autosave through before the page
    # closed: then the server has the text already, the copy is simply forgotten and there is
    # nothing to restore. Either way nothing is lost, which is what this step is about.)
    alleen_hier = "Een visie die alleen op dit toestel staat."
    time.sleep(0.5)  # a request that did get out is answered by now
    al_op_server = Aanvraag.objects.values_list("visie", flat=True).get(pk=aanvraag.pk)
    page = context.new_page()
    page.goto(f"{base}/aanvragen/{aanvraag.pk}/teksten/")
    visie = page.get_by_label("Visie en beleidsplanning")
    expect(visie).to_have_value(alleen_hier)
    teruggezet = page.get_by_role("status").filter(has_text="teruggezet")
    if al_op_server == alleen_hier:
        expect(teruggezet).to_be_hidden()
    else:
        expect(teruggezet).to_be_visible()
    assert (
        _wacht_op(aanvraag, "visie", "Een visie die alleen op dit toestel staat.")
        == "Een visie die alleen op dit toestel staat."
    )
    assert_accessible(page)

    # Offline once more, the page closed, and a colleague saves the vision meanwhile: opened
    # again, the text on this device is not put back over theirs. The user compares on the
    # conflict screen and takes their version; the copy on this device goes with it.
    context.set_offline(True)
    visie = page.get_by_label("Visie en beleidsplanning", exact=True)
    visie.fill("Alleen op dit toestel, na de collega.")
    waarschuwing = page.get_by_role("alert").filter(has_text=GEEN_VERBINDING)
    expect(waarschuwing).to_be_visible(timeout=5_000)
    page.close()
    context.set_offline(False)
    aanvraag.refresh_from_db()
    collega = UserFactory.create(regisseur_van=[aanvraag.regieverband], first_name="Tom")
    aanvraag_update(
        aanvraag=aanvraag, by=collega, versie=aanvraag.versie, changes={"visie": "Van Tom."}
    )
    page = context.new_page()
    page.goto(f"{base}/aanvragen/{aanvraag.pk}/teksten/")
    visie = page.get_by_label("Visie en beleidsplanning", exact=True)
    expect(visie).to_have_value("Van Tom.")
    expect(
        page.get_by_role("alert").filter(has_text="Op dit toestel staat een tekst")
    ).to_be_visible()
    page.get_by_role("button", name="Verschillen bekijken en kiezen").click()
    diff = page.get_by_role("region", name="Verschillen in Visie en beleidsplanning")
    expect(diff.locator("ins")).to_contain_text("Alleen op dit toestel, na de collega")
    assert_accessible(page)
    page.get_by_role("button", name="Hun versie overnemen").click()
    expect(page.get_by_role("status").filter(has_text="Niets opgeslagen")).to_be_visible()
    expect(visie).to_have_value("Van Tom.")
    expect(page.locator("#lokaal-conflict")).to_be_hidden()
    assert _portaal_sleutels(page) == []
    assert Aanvraag.objects.get(pk=aanvraag.pk).visie == "Van Tom."

    # Logging out removes every copy from this (shared) PC.
    visie.press_sequentially(" Nog iets.", delay=5)
    assert _portaal_sleutels(page)
    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_load_state()
    assert _portaal_sleutels(page) == []
