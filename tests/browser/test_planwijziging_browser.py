"""A change to the plan in Chromium: on a phone (375 px) the regisseur proposes a new action and
the cancellation of the one it replaces, motivates and submits; at 1280 px a reviewer reads the
diff against the decided version and approves it; the new sealed version appears on the
uitvoering page with its PDF and hash. axe-core finds no WCAG 2.1 AA violation on these pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from applications.aanvragen.models import Actie
from applications.aanvragen.submission import aanvraag_seal
from applications.accounts.models import User
from applications.besturen.models import Regieverband
from applications.uitvoering.models import Planwijziging

from ..aanvraag_helpers import PASSWORD
from ..factories import AanvraagFactory, ActieFactory, BeslissingFactory, OproepFactory
from .conftest import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_change_to_the_plan_proposed_reviewed_and_sealed_in_the_browser(
    browser,
    page: Page,
    live_server: LiveServer,
    verband: Regieverband,
    regisseur: User,
    beoordelaar: User,
) -> None:
    jaar = timezone.localdate().year
    oproep = OproepFactory.create(slug="loopt-nu", eerste_jaar=jaar - 1, laatste_jaar=jaar + 1)
    aanvraag = AanvraagFactory.create(
        regieverband=verband,
        oproep=oproep,
        goedgekeurd=True,
        ingediend_op=oproep.deadline - datetime.timedelta(days=2),
    )
    BeslissingFactory.create(aanvraag=aanvraag, door=beoordelaar)
    lr1, lr2 = list(oproep.prioriteiten.order_by("volgorde")[:2])
    for j in oproep.jaren:
        for p in (lr1, lr2):
            ActieFactory.create(
                aanvraag=aanvraag, prioriteit=p, jaar=j, titel=f"Actie {p.code} {j}"
            )
    aanvraag_seal(aanvraag=aanvraag, by=regisseur)
    base = live_server.url
    uitvoering = f"{base}/aanvragen/{aanvraag.pk}/uitvoering/"

    regie = browser.new_context(
        locale="nl-BE", timezone_id="Europe/Brussels", viewport={"width": 375, "height": 800}
    ).new_page()
    log_in(regie, base, regisseur.email, PASSWORD)
    regie.goto(uitvoering)
    regie.get_by_role("link", name="Alle wijzigingen van het plan").click()
    expect(regie.get_by_text("De toegekende bedragen veranderen niet")).to_be_visible()
    assert_accessible(regie)
    regie.get_by_role("button", name="Een wijziging voorstellen").click()
    expect(regie.get_by_text("Voorstel tot wijziging gestart.")).to_be_visible()
    assert_accessible(regie)

    regie.get_by_role("link", name="Nieuwe actie voorstellen").click()
    regie.get_by_label("Beleidsprioriteit").select_option(label=str(lr1))
    regie.get_by_label("Jaar").select_option(str(jaar))
    regie.get_by_label("Titel").fill("Startersloket sociaal ondernemen")
    regie.get_by_label("Budget (EUR)").fill("7.500,00")
    assert_accessible(regie)
    regie.get_by_role("button", name="In het voorstel opnemen").click()
    expect(regie.get_by_text("Opgenomen in het voorstel.")).to_be_visible()

    regie.get_by_role("link", name=f"Wijzigen of schrappen Actie {lr1.code} {jaar}").click()
    assert_accessible(regie)
    regie.get_by_role("button", name="Schrappen voorstellen").click()
    expect(regie.get_by_text("De actie staat als geschrapt in het voorstel.")).to_be_visible()

    # Submitting without a motivation is refused, with the reason.
    regie.get_by_role("button", name="Indienen bij WSE").click()
    expect(regie.get_by_text("Motiveer waarom het plan wijzigt.")).to_be_visible()
    assert_accessible(regie)
    regie.get_by_label("Motivatie").fill("Het startersloket vervangt de geplande actie.")
    regie.get_by_role("button", name="Indienen bij WSE").click()
    expect(regie.get_by_text("Het voorstel is ingediend bij WSE.")).to_be_visible()
    assert regie.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(regie)
    regie.context.close()

    wijziging = Planwijziging.objects.get(aanvraag=aanvraag)
    log_in(page, base, beoordelaar.email, PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/aanvragen/{aanvraag.pk}/uitvoering/wijzigingen/{wijziging.nummer}/")
    acties = page.get_by_role("region", name="Acties")
    expect(acties.get_by_role("article").filter(has_text="toegevoegd")).to_contain_text(
        "Startersloket sociaal ondernemen"
    )
    expect(acties.get_by_role("article").filter(has_text="geschrapt")).to_contain_text(
        f"Actie {lr1.code} {jaar}"
    )
    expect(page.get_by_text("Het startersloket vervangt de geplande actie.")).to_be_visible()
    assert_accessible(page)
    beslissen = page.get_by_role("region", name="Beslissen over deze wijziging")
    beslissen.get_by_label("Goedkeuren").check()
    beslissen.get_by_role("button", name="Beslissing vastleggen").click()
    expect(
        page.get_by_text("De wijziging is goedgekeurd en als nieuwe versie verzegeld.")
    ).to_be_visible()
    assert_accessible(page)

    # The plan took the change; the new version is on the uitvoering page with its PDF and hash.
    titels = set(Actie.objects.filter(aanvraag=aanvraag, jaar=jaar).values_list("titel", flat=True))
    assert titels == {"Startersloket sociaal ondernemen", f"Actie {lr2.code} {jaar}"}
    # Typed as a Flemish user writes it.
    assert Actie.objects.get(titel="Startersloket sociaal ondernemen").budget == Decimal("7500.00")
    wijziging.refresh_from_db()
    assert wijziging.versie is not None and wijziging.versie.nummer == 2
    page.goto(uitvoering)
    sectie = page.get_by_role("region", name="Wijzigingen van het meerjarenplan")
    expect(sectie).to_contain_text("goedgekeurd, verzegeld als versie 2")
    expect(sectie).to_contain_text(wijziging.versie.inhoud_sha256)
    expect(sectie.get_by_role("link", name="PDF van versie 2")).to_be_visible()
    expect(page.get_by_role("region", name="Tijdlijn")).to_contain_text(
        "Versie 2 verzegeld: wijziging 1 van het plan goedgekeurd"
    )
    assert_accessible(page)
    with page.expect_download() as download:
        sectie.get_by_role("link", name="PDF van versie 2").click()
    assert download.value.suggested_filename.endswith("-2.pdf")
