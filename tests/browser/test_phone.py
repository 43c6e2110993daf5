"""On a phone (375 px wide) no page scrolls sideways: a wide table scrolls inside its own
region, which the keyboard reaches and a screen reader names (axe checks it on every page); and
every control is a target of at least 44 x 44 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from applications.aanvragen.models import Aanvraag
from applications.accounts.models import User
from applications.besturen.models import Regieverband

from ..aanvraag_helpers import fill_everything
from ..factories import AanvraagFactory
from .conftest import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "geheim-wachtwoord-123"
BREEDTE = 375

# Every control that is smaller than 44 x 44 px (WCAG 2.2 target size, AAA). A check box or
# radio button counts by its label, which is how a finger reaches it; links inside a sentence
# are the criterion's exception and not measured.
TE_KLEINE_DOELEN = """() => {
  const sel = 'button, .btn, input:not([type=hidden]), select, textarea, nav a, .nav-link';
  return [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null).map(e => {
    const doel = (e.type === 'checkbox' || e.type === 'radio')
      ? document.querySelector('label[for="' + e.id + '"]') || e : e;
    const r = doel.getBoundingClientRect();
    return [(e.textContent || e.name || e.type || '').trim().slice(0, 30), r.width, r.height];
  }).filter(([, w, h]) => w < 44 || h < 44).map(([n, w, h]) => `${n} ${w}x${h}`);
}"""


def _past(page: Page, base: str, paden: list[str]) -> list[str]:
    te_breed = []
    for pad in paden:
        antwoord = page.goto(base + pad)
        assert antwoord is not None and antwoord.status == 200, pad
        breedte = page.evaluate("document.documentElement.scrollWidth")
        if breedte > BREEDTE:
            te_breed.append(f"{pad}: {breedte} px")
        te_breed += [f"{pad}: {doel}" for doel in page.evaluate(TE_KLEINE_DOELEN)]
        assert_accessible(page)
    return te_breed


def test_no_main_page_scrolls_sideways_on_a_phone(
    page: Page,
    live_server: LiveServer,
    regisseur: User,
    beoordelaar: User,
    beheerder: User,
    verband: Regieverband,
    aanvraag: Aanvraag,
) -> None:
    page.set_viewport_size({"width": BREEDTE, "height": 800})
    base = live_server.url
    fill_everything(aanvraag, regisseur, acties_per_cel=2)
    dossier = AanvraagFactory.create(regieverband=verband, ingediend=True)
    te_breed = []

    log_in(page, base, regisseur.email, PASSWORD)
    secties = [
        "verband/",
        "teksten/",
        "meerjarenplan/",
        "begroting/",
        "bijlagen/",
        "opvolging/",
        "",
    ]
    te_breed += _past(
        page,
        base,
        ["/", "/aanvragen/", f"/regieverbanden/{verband.pk}/"]
        + [f"/aanvragen/{aanvraag.pk}/{s}" for s in secties],
    )
    # The dashboard's list of aanvragen is a card per aanvraag here, each value named.
    page.goto(base + "/")
    kaart = page.locator("table.tabel-kaarten tbody tr").first
    assert kaart.evaluate("e => getComputedStyle(e).display") == "block"
    assert (
        kaart.locator("td[data-label='Status']").evaluate(
            "e => getComputedStyle(e, '::before').content"
        )
        == '"Status: "'
    )
    page.context.clear_cookies()

    log_in(page, base, beoordelaar.email, PASSWORD)
    slug = dossier.oproep.slug
    te_breed += _past(
        page,
        base,
        [
            "/",
            "/beoordeling/",
            f"/beoordeling/{dossier.pk}/",
            f"/beoordeling/{dossier.pk}/mijn-beoordeling/",
            f"/dekking/{slug}/",
            f"/budget/{slug}/",
            f"/opvolging/{slug}/",
            f"/uitvoering/{slug}/",
        ],
    )
    page.context.clear_cookies()

    log_in(page, base, beheerder.email, PASSWORD)
    te_breed += _past(
        page,
        base,
        [
            "/",
            "/beheer/",
            "/beheer/gebruikers/",
            "/beheer/regieverbanden/",
            f"/beheer/regieverbanden/{verband.pk}/",
        ],
    )
    page.context.clear_cookies()

    # The public pages in every footer, as anyone reads them.
    te_breed += _past(page, base, ["/toegankelijkheid/", "/privacy/", "/contact/"])
    assert te_breed == []
