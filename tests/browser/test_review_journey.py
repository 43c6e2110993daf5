"""The review of a submitted aanvraag, in Chromium, by a WSE-beoordelaar and the regisseur side by
side (two browser contexts): the queue and its search, taking the aanvraag, a question and its
answer, the reviewer's own review (first kept as a draft, one score chosen by its anchor), a
decision over the call's budget that is refused, the decision proposed and confirmed by a second
reviewer (vier-ogenprincipe) and its letter. axe-core checks every page on the way."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.core.mail import EmailMessage
from playwright.sync_api import Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import aanvraag_submit
from applications.accounts.models import User
from applications.beoordeling.models import Beoordeling, Beslissing
from applications.besturen.models import Regieverband
from applications.oproepen.models import Oproep, Scoreanker

from ..aanvraag_helpers import PASSWORD, fill_everything
from ..factories import AanvraagFactory, UserFactory
from .conftest import ARTIFACTS, assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VRAAG = "Welke partners trekken de actie rond WSE-LR2 in 2031?"
ANTWOORD = "VDAB en het maatwerkbedrijf van Maasmechelen trekken die actie samen."
ADVIES = "Sterke analyse; de begroting is realistisch."
MOTIVATIE = "De aanvraag beantwoordt aan alle criteria van de oproep.\nToegekend zoals voorgesteld."


def test_a_reviewer_decides_on_an_aanvraag_and_the_regisseur_follows_it(
    page: Page,
    live_server: LiveServer,
    aanvraag: Aanvraag,
    verband: Regieverband,
    ander_verband: Regieverband,
    regisseur: User,
    beoordelaar: User,
    mailoutbox: list[EmailMessage],
    settings: Settings,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    settings.WSE_EMAIL = ""
    fill_everything(aanvraag, regisseur)
    aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    # Another submitted aanvraag of the same call, which the search leaves out, and a colleague.
    AanvraagFactory.create(regieverband=ander_verband, oproep=aanvraag.oproep, ingediend=True)
    collega = UserFactory.create(beoordelaar=True, email="erik@example.org")
    # The call wants a second reviewer to confirm each decision and says what WSE-LR1's points
    # mean.
    Oproep.objects.filter(pk=aanvraag.oproep_id).update(vier_ogen=True)
    lr1 = aanvraag.oproep.prioriteiten.get(code="WSE-LR1")
    for score in range(1, 6):
        Scoreanker.objects.create(prioriteit=lr1, score=score, betekenis=f"Anker {score} van LR1")
    mailoutbox.clear()
    base = live_server.url
    server_errors: list[str] = []

    def watch(p: Page) -> None:
        p.on(
            "response",
            lambda r: (
                server_errors.append(f"{r.status} {r.request.method} {r.url}")
                if r.status >= 500
                else None
            ),
        )

    watch(page)
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels")
    regie = context.new_page()
    regie.set_default_timeout(10_000)
    watch(regie)
    try:
        # 1. The reviewer finds the aanvraag in the queue, also by a member's NIS code.
        log_in(page, base, beoordelaar.email, PASSWORD)
        page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role(
            "link", name="Beoordeling"
        ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Beoordeling")
        queue = page.get_by_role("table")
        expect(queue.locator("caption")).to_have_text("2 aanvragen")
        row = queue.get_by_role("row").filter(has_text=verband.naam)
        expect(row).to_contain_text("Ingediend")
        expect(row).to_contain_text("nog niemand")
        expect(row).to_contain_text("(73107)")
        assert_accessible(page)
        # The filters' labels never run into each other, whatever the window's width.
        for breedte in (768, 992, 1100, 1280):
            page.set_viewport_size({"width": breedte, "height": 800})
            assert _overlappende_labels(page) == [], breedte
        page.set_viewport_size({"width": 1280, "height": 800})

        zoek = page.get_by_label("Zoeken op regieverband, gemeente of NIS-code")
        zoek.fill("99999")
        page.get_by_role("button", name="Toon").click()
        expect(queue.locator("caption")).to_have_text("0 aanvragen")
        expect(page.get_by_text("Geen aanvragen voor deze filters.")).to_be_visible()
        zoek.fill("73107")
        page.get_by_role("button", name="Toon").click()
        expect(page).to_have_url(re.compile(r"[?&]zoek=73107"))
        expect(queue.locator("caption")).to_have_text("1 aanvraag")
        expect(zoek).to_have_value("73107")
        expect(queue.get_by_role("link", name=ander_verband.naam)).to_have_count(0)
        assert_accessible(page)
        queue.get_by_role("link", name=verband.naam).click()

        # The review page; the reviewer takes the aanvraag and asks a question.
        expect(page).to_have_url(f"{base}/beoordeling/{aanvraag.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(verband.naam)
        expect(page.locator(".badge")).to_have_text("Ingediend")
        expect(page.get_by_text("Nog geen beoordelingen.")).to_be_visible()
        behandelaar = page.get_by_role("combobox", name="Dossierbehandelaar")
        expect(behandelaar).to_have_value(str(beoordelaar.pk))
        expect(behandelaar.locator("option", has_text=str(collega))).to_have_count(1)
        expect(page.get_by_role("button", name="Beslissing voorleggen")).to_have_count(0)
        assert_accessible(page)
        page.get_by_role("button", name="In behandeling nemen").click()
        expect(page.get_by_role("status")).to_contain_text("De dossierbehandelaar is aangepast.")
        expect(page.locator(".badge")).to_have_text("In behandeling")
        expect(page.get_by_text(f"Dossierbehandelaar: {beoordelaar}")).to_be_visible()
        expect(page.get_by_role("button", name="Toewijzen")).to_be_visible()

        page.get_by_label("Vraag aan de regisseurs").fill(VRAAG)
        page.get_by_role("button", name="Vraag stellen").click()
        expect(page.get_by_role("status")).to_contain_text("De vraag is gesteld")
        vragen = page.get_by_role("region", name="Vragen aan de regisseurs")
        expect(vragen.get_by_text(VRAAG, exact=True)).to_be_visible()
        expect(vragen.get_by_text("Nog niet beantwoord.")).to_be_visible()
        expect(page.get_by_label("Vraag aan de regisseurs")).to_have_value("")
        assert_accessible(page)

        # 2. Meanwhile the regisseur, in a browser of their own, answers it.
        log_in(regie, base, regisseur.email, PASSWORD)
        regie.get_by_role("navigation", name="Hoofdnavigatie").get_by_role(
            "link", name="Aanvragen"
        ).click()
        regie.get_by_role("link", name=verband.naam).click()
        regie.get_by_role("navigation", name="Onderdelen van de aanvraag").get_by_role(
            "link", name="Vragen en antwoorden"
        ).click()
        expect(regie).to_have_url(f"{base}/aanvragen/{aanvraag.pk}/opvolging/")
        expect(regie.get_by_role("heading", name="Vragen en antwoorden")).to_be_visible()
        expect(regie.locator(".badge")).to_have_text("In behandeling")
        vragen_wse = regie.get_by_role("region", name="Vragen van WSE")
        expect(vragen_wse.get_by_text(VRAAG, exact=True)).to_be_visible()
        expect(regie.get_by_role("region", name="Tijdlijn")).to_contain_text(VRAAG)
        assert_accessible(regie)
        regie.get_by_label("Uw antwoord").fill(ANTWOORD)
        regie.get_by_role("button", name="Antwoord versturen").click()
        expect(regie.get_by_role("status")).to_contain_text("Uw antwoord is verstuurd naar WSE.")
        expect(vragen_wse.get_by_text(ANTWOORD, exact=True)).to_be_visible()
        expect(regie.get_by_role("button", name="Antwoord versturen")).to_have_count(0)
        assert_accessible(regie)

        # 3. The reviewer's queue marks the answer; its link to what changed leads there.
        page.get_by_role("navigation", name="Kruimelpad").get_by_role(
            "link", name="Beoordeling"
        ).click()
        row = queue.get_by_role("row").filter(has_text=verband.naam)
        expect(row).to_contain_text("Nieuw sinds uw laatste bezoek: 1 antwoord")
        expect(queue.get_by_role("row").filter(has_text=ander_verband.naam)).to_contain_text(
            "Nog niet door u bekeken"
        )
        page.get_by_role("link", name="Gewijzigd sinds ik keek: 1 aanvraag").click()
        expect(queue.locator("caption")).to_have_text("1 aanvraag")
        expect(page.get_by_label("Alleen gewijzigd sinds ik keek")).to_be_checked()
        assert_accessible(page)
        queue.get_by_role("link", name=verband.naam).click()
        # The reviewer sees the answer and writes a review; a forgotten motivation first.
        # What changed since the reviewer's previous visit is said first, with a link to it.
        nieuw = page.get_by_role("region", name=re.compile("^Nieuw sinds uw vorige bezoek"))
        expect(nieuw.get_by_role("link", name="1 antwoord op een vraag van WSE")).to_be_visible()
        assert_accessible(page)
        expect(vragen.get_by_text(ANTWOORD, exact=True)).to_be_visible()
        expect(vragen.get_by_text(f"Antwoord van {regisseur} op")).to_be_visible()
        page.get_by_role("link", name="Mijn beoordeling schrijven").click()
        expect(page).to_have_url(f"{base}/beoordeling/{aanvraag.pk}/mijn-beoordeling/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Mijn beoordeling: {verband.naam}"
        )
        assert_accessible(page)
        page.get_by_label("4 \N{EN DASH} Anker 4 van LR1").check()
        for i, punten in enumerate(["4", "5", "3", "4"], start=1):
            if i != 1:
                page.get_by_label(f"Score WSE-LR{i}").select_option(punten)
            if i != 3:
                page.get_by_label(f"Motivatie WSE-LR{i}").fill(f"Goed onderbouwd (WSE-LR{i}).")
        # Not finished: kept as a draft, which counts nowhere yet, and picked up again.
        page.get_by_role("button", name="Als concept bewaren").click()
        expect(page.get_by_role("status")).to_contain_text("Uw concept is bewaard.")
        expect(page.get_by_text("Nog geen beoordelingen.")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Verder werken aan het concept").click()
        expect(page.get_by_text("U werkt verder aan uw concept van")).to_be_visible()
        expect(page.get_by_label("4 \N{EN DASH} Anker 4 van LR1")).to_be_checked()
        expect(page.get_by_label("Score WSE-LR2")).to_have_value("5")
        page.get_by_label("Goedkeuren", exact=True).check()
        page.get_by_label("Motivatie van het advies").fill(ADVIES)
        page.get_by_label("Voorgesteld bedrag 2030 (EUR)").fill("12.500,00")
        page.get_by_label("Voorgesteld bedrag 2031 (EUR)").fill("15.000")
        page.get_by_label("Voorgesteld bedrag 2032 (EUR)").fill("17.500,50")
        page.get_by_role("button", name="Beoordeling afronden").click()
        expect(page.get_by_text("Motiveer de score.")).to_be_visible()
        expect(page.get_by_label("Motivatie WSE-LR3")).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_label("Score WSE-LR2")).to_have_value("5")
        expect(page.get_by_label("Motivatie van het advies")).to_have_value(ADVIES)
        expect(page.get_by_label("Voorgesteld bedrag 2030 (EUR)")).to_have_value("12.500,00")
        assert not Beoordeling.objects.exists()
        assert_accessible(page)
        page.get_by_label("Motivatie WSE-LR3").fill("Te weinig acties in 2032.")
        page.get_by_role("button", name="Beoordeling afronden").click()

        expect(page.get_by_role("status")).to_contain_text("Uw beoordeling is bewaard.")
        expect(page).to_have_url(f"{base}/beoordeling/{aanvraag.pk}/")
        reviews = page.get_by_role("table", name="Alle beoordelingen naast elkaar")
        expect(reviews.get_by_role("columnheader", name=str(beoordelaar))).to_be_visible()
        for rij in [
            "WSE-LR1 4 / 5 Goed onderbouwd (WSE-LR1).",
            "WSE-LR2 5 / 5 Goed onderbouwd (WSE-LR2).",
            "WSE-LR3 3 / 5 Te weinig acties in 2032.",
            "WSE-LR4 4 / 5 Goed onderbouwd (WSE-LR4).",
            f"Advies Goedkeuren {ADVIES}",
            "Voorgesteld bedrag 2030: EUR 12.500,00 2031: EUR 15.000,00 2032: EUR 17.500,50",
        ]:
            expect(reviews.get_by_role("row", name=rij, exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="Mijn beoordeling aanpassen")).to_be_visible()
        assert_accessible(page)

        # The decision: above the call's yearly budget is refused, keeping what was typed.
        page.get_by_label("Goedgekeurd").check()
        motivatie = page.get_by_label("Motivatie (staat in de beslissingsbrief)")
        motivatie.fill(MOTIVATIE)
        page.get_by_label("Toegekend bedrag 2030 (EUR)").fill("12.500,00")
        page.get_by_label("Toegekend bedrag 2031 (EUR)").fill("3.500.000,00")
        page.get_by_label("Toegekend bedrag 2032 (EUR)").fill("17.500,00")
        # What was asked and the call's formula are beside the form.
        expect(
            page.get_by_role("table", name="Gevraagd en indicatief bedrag per jaar, in euro")
        ).to_be_visible()
        page.get_by_role("button", name="Beslissing voorleggen").click()
        # More than asked needs a reason; then the call's budget still refuses 2031.
        expect(
            page.get_by_text("De bedragen voor 2030, 2031, 2032 zijn hoger dan gevraagd")
        ).to_be_visible()
        page.get_by_label("Waarom meer dan gevraagd?").fill("Extra opdracht.")
        page.get_by_role("button", name="Beslissing voorleggen").click()
        expect(
            page.get_by_text(
                "2031: EUR 3.500.000,00 is meer dan het budget van de oproep voor een jaar "
                "(EUR 3.000.000,00)."
            )
        ).to_be_visible()
        expect(page.locator(".badge")).to_have_text("In behandeling")
        expect(motivatie).to_have_value(MOTIVATIE)
        expect(page.get_by_label("Goedgekeurd")).to_be_checked()
        expect(page.get_by_label("Toegekend bedrag 2031 (EUR)")).to_have_value("3.500.000,00")
        assert not Beslissing.objects.exists()
        assert_accessible(page)

        page.get_by_label("Toegekend bedrag 2031 (EUR)").fill("15.000,00")
        page.get_by_role("button", name="Beslissing voorleggen").click()
        # The figures once more, asked against granted, before they count.
        bevestigen = page.get_by_role("alert").filter(has_text="Controleer de beslissing")
        expect(bevestigen).to_contain_text("45.000,00")
        assert not Beslissing.objects.exists()
        assert_accessible(page)
        bevestigen.get_by_role("button", name="Voorstel vastleggen").click()
        # Vier-ogenprincipe: a proposal, not yet a decision; its proposer cannot confirm it.
        expect(page.get_by_role("status")).to_contain_text("Het voorstel is vastgelegd.")
        expect(page.locator(".badge")).to_have_text("In behandeling")
        expect(page.get_by_text("U stelde deze beslissing voor.")).to_be_visible()
        expect(page.get_by_role("button", name="Bevestigen en vastleggen")).to_have_count(0)
        assert not Beslissing.objects.exists()
        assert_accessible(page)

        # A second reviewer, in a browser of their own, confirms it.
        tweede_context = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels")
        try:
            tweede = tweede_context.new_page()
            tweede.set_default_timeout(10_000)
            watch(tweede)
            log_in(tweede, base, collega.email, PASSWORD)
            tweede.goto(f"{base}/beoordeling/{aanvraag.pk}/")
            voorstel = tweede.get_by_role(
                "region", name=re.compile(r"^Voorgestelde beslissing: goedgekeurd, door Test")
            )
            expect(voorstel).to_contain_text("45.000,00")
            assert_accessible(tweede)
            voorstel.get_by_role("button", name="Bevestigen en vastleggen").click()
            expect(tweede.get_by_role("status")).to_contain_text(
                "De beslissing is bevestigd en vastgelegd."
            )
            tijdlijn_wse = tweede.get_by_role("region", name="Tijdlijn")
            expect(tijdlijn_wse).to_contain_text("Beslissing voorgesteld: Goedgekeurd")
            expect(tijdlijn_wse).to_contain_text("Voorstel bevestigd door een tweede beoordelaar")
        finally:
            tweede_context.close()
        page.reload()
        expect(page.locator(".badge")).to_have_text("Goedgekeurd")
        beslissing = page.get_by_role("region", name="Beslissing: Goedgekeurd")
        expect(beslissing).to_contain_text(
            "2030: EUR 12.500,00 · 2031: EUR 15.000,00 · 2032: EUR 17.500,00 (totaal EUR 45.000,00)"
        )
        expect(beslissing).to_contain_text("Toegekend zoals voorgesteld.")
        expect(page.get_by_role("button", name="Beslissing voorleggen")).to_have_count(0)
        expect(page.get_by_role("link", name="Mijn beoordeling aanpassen")).to_have_count(0)
        expect(page.get_by_role("link", name="Beslissingsbrief (PDF)")).to_be_visible()
        assert_accessible(page)

        # 4. The regisseur reads the decision and downloads the letter.
        regie.reload()
        expect(regie.locator(".badge")).to_have_text("Goedgekeurd")
        besluit = regie.get_by_role("region", name="Beslissing: Goedgekeurd")
        bedragen = besluit.get_by_role("table", name="Toegekend bedrag per jaar")
        expect(bedragen.get_by_role("row", name="2031")).to_contain_text("EUR 15.000,00")
        expect(bedragen.get_by_role("row", name="Totaal")).to_contain_text("EUR 45.000,00")
        expect(besluit).to_contain_text("De aanvraag beantwoordt aan alle criteria")
        expect(regie.get_by_role("button", name="Aanvraag intrekken")).to_have_count(0)
        # What WSE keeps internal (notes, the reviews) stays out of the regisseur's view.
        tijdlijn = regie.get_by_role("region", name="Tijdlijn")
        expect(tijdlijn).to_contain_text("Beslissing: Goedgekeurd")
        expect(tijdlijn).not_to_contain_text("Interne notitie")
        expect(tijdlijn).not_to_contain_text("Beoordeling bewaard")
        expect(tijdlijn).not_to_contain_text("Voorstel")
        expect(regie.get_by_text(ADVIES)).to_have_count(0)
        assert_accessible(regie)
        with regie.expect_download() as download_info:
            besluit.get_by_role("link", name="Beslissingsbrief downloaden (PDF)").click()
        download = download_info.value
        assert download.suggested_filename == (
            f"beslissing-{aanvraag.oproep.slug}-{aanvraag.pk}.pdf"
        )
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        content = saved.read_bytes()
        assert content.startswith(b"%PDF")
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        regie.screenshot(path=str(ARTIFACTS / f"{request.node.name}-regisseur.png"), full_page=True)
        raise
    finally:
        context.close()

    assert server_errors == []
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.GOEDGEKEURD
    assert aanvraag.behandelaar == beoordelaar
    besluit_db = Beslissing.objects.get(aanvraag=aanvraag)
    assert besluit_db.door == collega
    assert hashlib.sha256(content).hexdigest() == besluit_db.brief_sha256
    assert besluit_db.totaal == 45000
    review = Beoordeling.objects.get(aanvraag=aanvraag, beoordelaar=beoordelaar)
    assert sorted(s.score for s in review.scores.all()) == [3, 4, 4, 5]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([regisseur.email], f"Vraag van WSE over uw aanvraag {aanvraag.referentie}"),
        (
            [beoordelaar.email],
            f"Antwoord op uw vraag over {aanvraag.referentie} ({verband.naam})",
        ),
        ([regisseur.email], f"Beslissing over uw aanvraag {aanvraag.referentie}: goedgekeurd"),
    ]
    brief = mailoutbox[2]
    assert isinstance(brief, EmailMessage)
    assert "2031: EUR 15.000,00" in brief.body
    assert "Totaal: EUR 45.000,00" in brief.body
    assert f"/aanvragen/{aanvraag.pk}/opvolging/" in brief.body


def _overlappende_labels(page: Page) -> list[tuple[str, str]]:
    """Pairs of labels of the queue's filter form whose boxes intersect."""
    vakken: list[tuple[str, float, float, float, float]] = page.eval_on_selector_all(
        "main form[method=get] label",
        """els => els.map(e => {
            const r = e.getBoundingClientRect();
            return [e.textContent.trim(), r.left, r.top, r.right, r.bottom];
        })""",
    )
    return [
        (a[0], b[0])
        for i, a in enumerate(vakken)
        for b in vakken[i + 1 :]
        if a[1] < b[3] - 1 and b[1] < a[3] - 1 and a[2] < b[4] - 1 and b[2] < a[4] - 1
    ]
