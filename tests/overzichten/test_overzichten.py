"""Coverage of Flanders, the budget of a call, and the exports read back with csv and openpyxl.

The territory is the 285 gemeenten that the migration loads; population figures are made up.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.aanvragen.models import Aanvraag, Actie
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.models import User
from applications.audit.models import Auditregel
from applications.beoordeling.constants import Advies
from applications.beoordeling.models import Beoordeling, Beslissing
from applications.besturen.constants import Provincie
from applications.besturen.models import (
    Bevolking,
    Lidmaatschap,
    LokaalBestuur,
    Regieverband,
    Werkloosheidsgraad,
)
from applications.core import tabellen
from applications.oproepen.constants import Subsidieformule
from applications.oproepen.models import Oproep
from applications.overzichten import exports
from applications.overzichten import selectors as overzichten
from applications.overzichten.selectors import (
    INGEDIEND_FILTER,
    DekkingFilters,
    Samenvatting,
)

from ..conftest import client_for
from ..factories import (
    AanvraagFactory,
    ActieFactory,
    LidmaatschapFactory,
    OproepFactory,
    RegieverbandFactory,
)

MAASMECHELEN, LANAKEN, GENK, HASSELT = "73107", "73042", "71016", "71072"


def _lid(verband: Regieverband, nis: str, **kwargs: object) -> Lidmaatschap:
    return LidmaatschapFactory.create(
        regieverband=verband, bestuur=LokaalBestuur.objects.get(nis_code=nis), **kwargs
    )


@pytest.fixture
def twee_aanvragen(verband: Regieverband, ander_verband: Regieverband, oproep: Oproep) -> Oproep:
    """Maasland (Maasmechelen, Lanaken) and another verband (Lanaken, Genk) both apply:
    Lanaken is an overlap. A third verband withdrew; a member who left before the call's
    peildatum does not count."""
    _lid(verband, LANAKEN)
    _lid(verband, HASSELT, tot=datetime.date(2029, 12, 31))
    _lid(ander_verband, LANAKEN)
    _lid(ander_verband, GENK)
    ingetrokken = RegieverbandFactory.create(naam="Teruggetrokken verband")
    _lid(ingetrokken, "71004")
    AanvraagFactory.create(regieverband=verband, oproep=oproep, ingediend=True)
    AanvraagFactory.create(regieverband=ander_verband, oproep=oproep)
    AanvraagFactory.create(regieverband=ingetrokken, oproep=oproep, ingetrokken=True)
    return oproep


# --- Coverage -------------------------------------------------------------------------------------


def test_coverage_counts_every_gemeente_and_flags_overlaps(twee_aanvragen: Oproep) -> None:
    dekking = overzichten.dekking(twee_aanvragen)
    assert dekking.vlaanderen.gemeenten == 285
    assert dekking.vlaanderen.gedekt == 3  # Maasmechelen, Lanaken, Genk
    assert dekking.niet_gedekt == 282
    assert dekking.overlappen == 1
    per_nis = {g.bestuur.nis_code: g for g in dekking.gemeenten}
    assert per_nis[LANAKEN].overlap
    assert {a.regieverband.naam for a in per_nis[LANAKEN].aanvragen} == {
        "Sociale Economie Maasland (test)",
        "Ander verband (test)",
    }
    assert not per_nis[HASSELT].gedekt  # left before the peildatum
    assert not per_nis["71004"].gedekt  # its aanvraag was withdrawn
    limburg = next(p for p in dekking.provincies if p.naam == "Limburg")
    assert (limburg.gemeenten, limburg.gedekt) == (38, 3)
    assert sum(p.gemeenten for p in dekking.provincies) == 285


def test_coverage_filters_by_status_province_and_what_to_show(twee_aanvragen: Oproep) -> None:
    ingediend = overzichten.dekking(twee_aanvragen, DekkingFilters(status=AanvraagStatus.INGEDIEND))
    assert ingediend.vlaanderen.gedekt == 2 and ingediend.overlappen == 0
    alleen = overzichten.dekking(twee_aanvragen, DekkingFilters(toon="overlap"))
    assert [g.bestuur.nis_code for g in alleen.gemeenten] == [LANAKEN]
    open_in_limburg = overzichten.dekking(
        twee_aanvragen,
        DekkingFilters(provincie=Provincie.LIMBURG, toon="niet_gedekt"),
    )
    assert len(open_in_limburg.gemeenten) == 35
    assert all(g.bestuur.provincie == Provincie.LIMBURG for g in open_in_limburg.gemeenten)
    assert open_in_limburg.vlaanderen.gemeenten == 285  # the summary always counts everything


def test_coverage_leaves_out_besturen_not_valid_on_the_peildatum(twee_aanvragen: Oproep) -> None:
    LokaalBestuur.objects.filter(nis_code=GENK).update(geldig_tot=datetime.date(2029, 12, 31))
    dekking = overzichten.dekking(twee_aanvragen)
    assert dekking.vlaanderen.gemeenten == 284
    assert GENK not in {g.bestuur.nis_code for g in dekking.gemeenten}


def test_inhabitants_covered_once_every_population_is_known(twee_aanvragen: Oproep) -> None:
    assert overzichten.dekking(twee_aanvragen).vlaanderen.pct_inwoners is None
    Bevolking.objects.bulk_create(
        Bevolking(bestuur=b, referentiejaar=2029, inwoners=10_000, bron="verzonnen")
        for b in LokaalBestuur.objects.all()
    )
    LokaalBestuur.objects.get(nis_code=GENK).bevolking.update(inwoners=70_000)
    vlaanderen = overzichten.dekking(twee_aanvragen).vlaanderen
    assert vlaanderen.inwoners == 284 * 10_000 + 70_000
    assert vlaanderen.inwoners_gedekt == 90_000
    assert vlaanderen.pct_inwoners == 100 * 90_000 // (284 * 10_000 + 70_000)
    # One gemeente without a figure: the share is over the known ones, and says how many lack one.
    LokaalBestuur.objects.get(nis_code="11001").bevolking.all().delete()
    vlaanderen = overzichten.dekking(twee_aanvragen).vlaanderen
    assert vlaanderen.onbekend == 1
    assert vlaanderen.inwoners == 283 * 10_000 + 70_000
    assert vlaanderen.pct_inwoners is not None


def test_coverage_never_rounds_up_to_100_percent() -> None:
    samenvatting = Samenvatting("Vlaanderen", gemeenten=285, gedekt=284)
    assert samenvatting.pct_gemeenten == 99
    assert samenvatting.balk == 229


def test_a_refused_or_withdrawn_aanvraag_does_not_cover(twee_aanvragen: Oproep) -> None:
    Aanvraag.objects.filter(regieverband__naam="Ander verband (test)").update(
        status=AanvraagStatus.AFGEWEZEN
    )
    dekking = overzichten.dekking(twee_aanvragen)
    assert dekking.vlaanderen.gedekt == 2 and dekking.overlappen == 0
    ingediend = overzichten.dekking(twee_aanvragen, DekkingFilters(status=INGEDIEND_FILTER))
    assert ingediend.vlaanderen.gedekt == 2


def test_the_coverage_page_takes_the_same_queries_for_more_aanvragen(
    twee_aanvragen: Oproep,
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            overzichten.dekking(twee_aanvragen)
        return len(ctx.captured_queries)

    before = count()
    for _i in range(8):
        verband = RegieverbandFactory.create()
        _lid(verband, "73001")
        AanvraagFactory.create(regieverband=verband, oproep=twee_aanvragen, ingediend=True)
    assert count() == before


# --- Budget ---------------------------------------------------------------------------------------


@pytest.fixture
def oproep_2020(db: None) -> Oproep:
    return OproepFactory.create(
        slug="schijven-test",
        subsidieformule=Subsidieformule.BEVOLKINGSSCHIJVEN_2020,
        min_inwoners=60_000,
        jaarbudget=Decimal("120000.00"),
    )


def _bevolking(nis: str, inwoners: int) -> None:
    Bevolking.objects.create(
        bestuur=LokaalBestuur.objects.get(nis_code=nis),
        referentiejaar=2029,
        inwoners=inwoners,
        bron="verzonnen testcijfer",
    )


def test_budget_per_aanvraag_asked_proposed_granted_and_indicative(
    verband: Regieverband,
    ander_verband: Regieverband,
    oproep_2020: Oproep,
    beoordelaar: User,
) -> None:
    _lid(verband, LANAKEN)
    _lid(ander_verband, GENK)
    _bevolking(MAASMECHELEN, 40_000)
    _bevolking(LANAKEN, 30_000)
    _bevolking(GENK, 90_000)
    eerste: Aanvraag = AanvraagFactory.create(
        regieverband=verband, oproep=oproep_2020, in_behandeling=True, behandelaar=beoordelaar
    )
    tweede: Aanvraag = AanvraagFactory.create(
        regieverband=ander_verband, oproep=oproep_2020, goedgekeurd=True
    )
    ActieFactory.create(aanvraag=eerste, jaar=2030, budget=Decimal("20000"))
    ActieFactory.create(aanvraag=eerste, jaar=2030, budget=Decimal("5000"))
    ActieFactory.create(aanvraag=eerste, jaar=2031, budget=Decimal("30000"))
    Beoordeling.objects.create(
        aanvraag=eerste,
        beoordelaar=beoordelaar,
        advies=Advies.GOEDKEUREN,
        motivatie="Verzonnen.",
        bedragen={"2030": "24000.00", "2031": "25000.00", "2032": "25000.00"},
    )
    # Another reviewer's proposal is not the lead's: it does not count.
    andere = User.objects.create_user("andere@example.org")
    Beoordeling.objects.create(
        aanvraag=eerste,
        beoordelaar=andere,
        advies=Advies.AFWIJZEN,
        motivatie="-",
        bedragen={"2030": "1.00"},
    )
    Beslissing.objects.create(
        aanvraag=tweede,
        uitkomst=AanvraagStatus.GOEDGEKEURD,
        bedragen={"2030": "50000.00", "2031": "50000.00", "2032": "50000.00"},
        motivatie="Verzonnen testbeslissing.",
        door=beoordelaar,
        op=datetime.datetime(2030, 3, 1, 10, 0, tzinfo=datetime.UTC),
        brief="beslissingen/test.pdf",
        brief_sha256="0" * 64,
        brief_grootte=1,
    )
    budget = overzichten.budget(oproep_2020)
    rij = {r.aanvraag.pk: r for r in budget.rijen}
    assert rij[eerste.pk].gevraagd == {2030: Decimal(25000), 2031: Decimal(30000), 2032: 0}
    assert rij[eerste.pk].voorgesteld == {2030: 24000, 2031: 25000, 2032: 25000}
    assert rij[eerste.pk].toegekend is None
    assert rij[eerste.pk].inwoners == 70_000
    indicatie = rij[eerste.pk].indicatie
    assert indicatie is not None and indicatie.bedrag == Decimal(25_000)
    assert rij[tweede.pk].toegekend == {2030: 50000, 2031: 50000, 2032: 50000}
    assert rij[tweede.pk].met_centrumstad
    indicatie = rij[tweede.pk].indicatie
    assert indicatie is not None and indicatie.bedrag == Decimal(50_000)  # Genk alone, 90,000
    jaar = budget.jaren[0]
    assert (jaar.gevraagd, jaar.voorgesteld, jaar.toegekend) == (25000, 24000, 50000)
    assert jaar.indicatief == 75_000 and jaar.rest == 70_000
    assert budget.gevraagd == 55_000 and budget.toegekend == 150_000
    assert not budget.tekort
    toewijzing = rij[eerste.pk].toewijzing
    assert toewijzing is not None and toewijzing.bedrag == 25_000


def test_budget_applies_the_order_of_priority_when_it_falls_short(
    verband: Regieverband, ander_verband: Regieverband, oproep_2020: Oproep
) -> None:
    oproep_2020.jaarbudget = Decimal("60000")
    oproep_2020.save()
    _lid(verband, LANAKEN)
    _lid(ander_verband, GENK)
    for nis, inwoners in ((MAASMECHELEN, 40_000), (LANAKEN, 30_000), (GENK, 90_000)):
        _bevolking(nis, inwoners)
    for nis, graad in ((MAASMECHELEN, "8.0"), (LANAKEN, "6.0")):
        Werkloosheidsgraad.objects.create(
            bestuur=LokaalBestuur.objects.get(nis_code=nis), jaar=2029, percentage=Decimal(graad)
        )
    eerste = AanvraagFactory.create(regieverband=verband, oproep=oproep_2020, ingediend=True)
    tweede = AanvraagFactory.create(regieverband=ander_verband, oproep=oproep_2020, ingediend=True)
    budget = overzichten.budget(oproep_2020)
    assert budget.tekort
    bedrag = {r.aanvraag.pk: r.toewijzing.bedrag if r.toewijzing else None for r in budget.rijen}
    assert bedrag[tweede.pk] == 50_000  # Genk first
    assert bedrag[eerste.pk] == 10_000  # what is left


def test_a_call_with_an_unknown_formula_shows_no_indicative_amount(
    verband: Regieverband, oproep: Oproep
) -> None:
    AanvraagFactory.create(regieverband=verband, oproep=oproep, ingediend=True)
    budget = overzichten.budget(oproep)
    assert not budget.formule_gekend
    assert budget.indicatief is None
    assert all(r.indicatie is None and r.toewijzing is None for r in budget.rijen)
    assert all(j.indicatief is None for j in budget.jaren)


def test_the_budget_takes_the_same_queries_for_more_aanvragen(
    twee_aanvragen: Oproep,
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            overzichten.budget(twee_aanvragen)
        return len(ctx.captured_queries)

    before = count()
    for _i in range(8):
        aanvraag = AanvraagFactory.create(oproep=twee_aanvragen, ingediend=True)
        _lid(aanvraag.regieverband, "73001")
        ActieFactory.create(aanvraag=aanvraag)
    assert count() == before


# --- Exports --------------------------------------------------------------------------------------


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _xlsx_rows(content: bytes) -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return list(workbook.active.iter_rows(values_only=True))


def test_the_aanvragen_export_has_one_row_each_with_numbers_as_numbers(
    twee_aanvragen: Oproep, verband: Regieverband
) -> None:
    aanvraag = Aanvraag.objects.get(regieverband=verband, oproep=twee_aanvragen)
    ActieFactory.create(aanvraag=aanvraag, jaar=2031, budget=Decimal("1234.50"))
    tabel = exports.aanvragen_tabel(twee_aanvragen)
    rows = _csv_rows(tabellen.as_csv(tabel))
    header = rows[0]
    assert header[:3] == ["Referentie", "Regieverband", "Status"]
    assert len(rows) == 4  # header and three aanvragen, the withdrawn one included
    maasland = next(r for r in rows if r[1] == "Sociale Economie Maasland (test)")
    assert maasland[header.index("Gevraagd 2031 (EUR)")] == "1234,50"
    assert maasland[header.index("Leden (NIS-codes)")] == "73042, 73107"
    sheet = _xlsx_rows(tabellen.as_xlsx(tabel))
    assert list(sheet[0]) == header
    xrow = next(r for r in sheet if r[1] == "Sociale Economie Maasland (test)")
    assert xrow[header.index("Gevraagd 2031 (EUR)")] == pytest.approx(1234.5)
    assert xrow[header.index("Aantal leden")] == 2
    assert isinstance(xrow[header.index("Ingediend op")], datetime.datetime)


def test_the_actions_export_has_the_priority_code_and_year(
    verband: Regieverband, oproep: Oproep
) -> None:
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep)
    tweede = oproep.prioriteiten.get(code="WSE-LR2")
    ActieFactory.create(aanvraag=aanvraag, prioriteit=tweede, jaar=2032, titel="Jobbeurs")
    ActieFactory.create(aanvraag=aanvraag, titel='=HYPERLINK("http://x")')
    rows = _csv_rows(tabellen.as_csv(exports.acties_tabel(oproep)))
    header = rows[0]
    assert header[3:6] == ["Prioriteit (code)", "Prioriteit", "Jaar"]
    jobbeurs = next(r for r in rows if r[header.index("Titel")] == "Jobbeurs")
    assert jobbeurs[3] == "WSE-LR2" and jobbeurs[5] == "2032"
    # A title that a spreadsheet would run as a formula stays text.
    assert any(r[header.index("Titel")] == '\'=HYPERLINK("http://x")' for r in rows)
    workbook = openpyxl.load_workbook(io.BytesIO(tabellen.as_xlsx(exports.acties_tabel(oproep))))
    cells = [row[header.index("Titel")] for row in workbook.active.iter_rows(min_row=2)]
    formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"
    jaar = next(row for row in workbook.active.iter_rows(min_row=2, values_only=True))[5]
    assert isinstance(jaar, int)


def test_the_coverage_export_lists_the_gemeenten_with_the_page_filters(
    twee_aanvragen: Oproep,
) -> None:
    alles = _csv_rows(tabellen.as_csv(exports.dekking_tabel(twee_aanvragen)))
    assert alles[0][:3] == ["NIS-code", "Gemeente", "Provincie"]
    assert len(alles) == 286
    lanaken = next(r for r in alles if r[0] == LANAKEN)
    assert lanaken[alles[0].index("Overlap")] == "ja"
    filters = DekkingFilters(toon="overlap")
    sheet = _xlsx_rows(tabellen.as_xlsx(exports.dekking_tabel(twee_aanvragen, filters)))
    assert len(sheet) == 2 and sheet[1][0] == LANAKEN


# --- Pages and permissions ------------------------------------------------------------------------


URLS = [
    ("dekking", {"slug": "open-test"}),
    ("budget", {"slug": "open-test"}),
    ("export", {"slug": "open-test", "soort": "aanvragen", "formaat": "csv"}),
    ("export", {"slug": "open-test", "soort": "acties", "formaat": "xlsx"}),
    ("export", {"slug": "open-test", "soort": "dekking", "formaat": "csv"}),
]


@pytest.mark.parametrize(("name", "kwargs"), URLS)
@pytest.mark.parametrize(
    ("who", "expected"),
    [("beheerder", 200), ("beoordelaar", 200), ("regisseur", 404), ("collega", 404)],
)
def test_only_wse_and_beheerders_see_coverage_budget_and_exports(
    twee_aanvragen: Oproep,
    name: str,
    kwargs: dict[str, str],
    who: str,
    expected: int,
    request: pytest.FixtureRequest,
) -> None:
    user: User = request.getfixturevalue(who)
    response = client_for(user).get(reverse(name, kwargs=kwargs))
    assert response.status_code == expected


@pytest.mark.parametrize(("name", "kwargs"), [*URLS, ("dekking_standaard", {})])
def test_anonymous_users_are_sent_to_log_in(
    twee_aanvragen: Oproep, name: str, kwargs: dict[str, str]
) -> None:
    url = reverse(name, kwargs=kwargs)
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", ["dekking_standaard", "budget_standaard"])
def test_the_short_urls_lead_wse_to_the_newest_call(
    twee_aanvragen: Oproep, beoordelaar: User, regisseur: User, name: str
) -> None:
    response = client_for(beoordelaar).get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{twee_aanvragen.slug}/")
    assert client_for(regisseur).get(reverse(name)).status_code == 404


def test_the_coverage_page_shows_uncovered_and_overlapping_gemeenten(
    twee_aanvragen: Oproep, beoordelaar: User
) -> None:
    response = client_for(beoordelaar).get(
        reverse("dekking", kwargs={"slug": twee_aanvragen.slug}), {"provincie": "70000"}
    )
    html = response.content.decode()
    assert "3 / 285" in html
    assert "Overlap" in html and "Niet gedekt" in html
    assert "38 gemeenten" in html
    assert 'href="/export/open-test/dekking.csv?provincie=70000"' in html
    # Each covering aanvraag with its reference and status, in the reader's language.
    ingediend = Aanvraag.objects.get(oproep=twee_aanvragen, status=AanvraagStatus.INGEDIEND)
    assert f"({ingediend.referentie}, ingediend)" in html
    assert "concept)" in html
    engels = client_for(beoordelaar)
    engels.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = engels.get(
        reverse("dekking", kwargs={"slug": twee_aanvragen.slug}), {"provincie": "70000"}
    ).content.decode()
    assert f"({ingediend.referentie}, submitted)" in html


def test_odd_filters_are_ignored_and_unknown_exports_are_404(
    twee_aanvragen: Oproep, beoordelaar: User
) -> None:
    client = client_for(beoordelaar)
    url = reverse("dekking", kwargs={"slug": twee_aanvragen.slug})
    response = client.get(url, {"provincie": "\x00", "status": "x", "toon": "alles"})
    assert response.status_code == 200
    assert "285 gemeenten" in response.content.decode()
    for soort, formaat in (("leden", "csv"), ("acties", "pdf")):
        url = reverse("export", kwargs={"slug": "open-test", "soort": soort, "formaat": formaat})
        assert client.get(url).status_code == 404


def test_the_budget_page_says_the_formula_is_unknown(
    twee_aanvragen: Oproep, beheerder: User
) -> None:
    response = client_for(beheerder).get(reverse("budget", kwargs={"slug": "open-test"}))
    html = response.content.decode()
    assert "er wordt geen indicatief bedrag berekend" in html
    assert "Volgens voorrang" not in html


def test_an_export_download_is_an_attachment(twee_aanvragen: Oproep, beheerder: User) -> None:
    url = reverse("export", kwargs={"slug": "open-test", "soort": "acties", "formaat": "xlsx"})
    response = client_for(beheerder).get(url)
    assert (
        response["Content-Disposition"] == 'attachment; filename="regierol-open-test-acties.xlsx"'
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_acties_csv_is_streamed_in_pieces_with_every_row_once(
    twee_aanvragen: Oproep, verband: Regieverband, beoordelaar: User, monkeypatch
) -> None:
    """Written while the rows are read, in pieces of RIJEN_PER_STUK rows; the audit log counts
    the rows; the queries do not grow with the rows (no call read per row)."""
    monkeypatch.setattr(tabellen, "RIJEN_PER_STUK", 2)
    aanvraag = Aanvraag.objects.get(regieverband=verband, oproep=twee_aanvragen)
    for i in range(5):
        ActieFactory.create(aanvraag=aanvraag, titel=f"Actie {i}", jaar=2030, volgorde=i + 1)
    url = reverse("export", kwargs={"slug": "open-test", "soort": "acties", "formaat": "csv"})
    client = client_for(beoordelaar)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
        pieces = list(response.streaming_content)  # type: ignore[attr-defined]
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="regierol-open-test-acties.csv"'
    rows = _csv_rows(b"".join(pieces))
    # A piece after every second row (the first with the header) and one with the rest.
    assert len(pieces) == (len(rows) - 1) // 2 + 1 and len(pieces) >= 3
    assert rows[0][:3] == ["Referentie", "Regieverband", "Status aanvraag"]
    eigen = [r for r in rows[1:] if r[1] == verband.naam]
    assert [r[7] for r in eigen] == [f"Actie {i}" for i in range(5)]
    assert {r[0] for r in eigen} == {aanvraag.referentie}
    assert len(rows) - 1 == Actie.objects.filter(aanvraag__oproep=twee_aanvragen).count()
    regel = Auditregel.objects.filter(soort=Auditregel.Soort.DOWNLOAD).latest("pk")
    assert regel.gegevens["rijen"] == len(rows) - 1

    for ander in Aanvraag.objects.exclude(pk=aanvraag.pk).filter(oproep=twee_aanvragen):
        ActieFactory.create_batch(6, aanvraag=ander)
    with CaptureQueriesContext(connection) as more:
        b"".join(client.get(url).streaming_content)  # type: ignore[attr-defined]
    assert len(more) == len(few)


def test_the_status_filter_does_not_change_the_sharing(
    verband: Regieverband, ander_verband: Regieverband, oproep_2020: Oproep
) -> None:
    oproep_2020.jaarbudget = Decimal("40000")
    oproep_2020.save()
    _lid(verband, LANAKEN)
    _lid(ander_verband, "73001")
    for nis, inwoners in ((MAASMECHELEN, 40_000), (LANAKEN, 30_000), ("73001", 70_000)):
        _bevolking(nis, inwoners)
    for nis, graad in ((MAASMECHELEN, "8.0"), (LANAKEN, "8.0"), ("73001", "5.0")):
        Werkloosheidsgraad.objects.create(
            bestuur=LokaalBestuur.objects.get(nis_code=nis), jaar=2029, percentage=Decimal(graad)
        )
    AanvraagFactory.create(regieverband=verband, oproep=oproep_2020, ingediend=True)
    tweede = AanvraagFactory.create(
        regieverband=ander_verband, oproep=oproep_2020, goedgekeurd=True
    )
    alles = overzichten.budget(oproep_2020)
    gefilterd = overzichten.budget(oproep_2020, status=AanvraagStatus.GOEDGEKEURD)
    assert [r.aanvraag.pk for r in gefilterd.rijen] == [tweede.pk]
    assert gefilterd.tekort and alles.tekort
    assert gefilterd.rijen[0].toewijzing == next(
        r.toewijzing for r in alles.rijen if r.aanvraag.pk == tweede.pk
    )
    assert gefilterd.rijen[0].toewijzing is not None
    assert gefilterd.rijen[0].toewijzing.bedrag == 15_000  # lower rate: what is left


def test_a_reviewer_who_is_regisseur_of_a_verband_sees_no_review_data_of_it(
    twee_aanvragen: Oproep, verband: Regieverband, beoordelaar: User
) -> None:
    from ..factories import UserFactory

    beide = UserFactory.create(beoordelaar=True, regisseur_van=[verband])
    aanvraag = Aanvraag.objects.get(regieverband=verband, oproep=twee_aanvragen)
    aanvraag.behandelaar = beoordelaar
    aanvraag.save()
    Beoordeling.objects.create(
        aanvraag=aanvraag,
        beoordelaar=beoordelaar,
        advies=Advies.GOEDKEUREN,
        motivatie="Verzonnen.",
        bedragen={"2030": "12345.00"},
    )
    eigen = next(r for r in overzichten.budget(twee_aanvragen, voor=beide).rijen if r.eigen)
    assert eigen.aanvraag == aanvraag and eigen.voorgesteld is None
    html = client_for(beide).get(reverse("budget", kwargs={"slug": "open-test"})).content.decode()
    assert "12.345" not in html
    assert reverse("beoordeling_detail", args=[aanvraag.pk]) not in html
    rows = _csv_rows(tabellen.as_csv(exports.aanvragen_tabel(twee_aanvragen, voor=beide)))
    row = next(r for r in rows if r[0] == aanvraag.referentie)
    assert row[rows[0].index("Dossierbehandelaar")] == ""
    assert row[rows[0].index("Voorgesteld 2030 (EUR)")] == ""
    other = exports.aanvragen_tabel(twee_aanvragen, voor=beoordelaar)
    assert any(r[5] == str(beoordelaar) for r in other.rijen)


def test_control_characters_pasted_from_word_do_not_break_the_xlsx(
    verband: Regieverband, oproep: Oproep
) -> None:
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep)
    ActieFactory.create(aanvraag=aanvraag, titel="Jobbeurs", beschrijving="regel1\x0bregel2")
    sheet = _xlsx_rows(tabellen.as_xlsx(exports.acties_tabel(oproep)))
    assert "regel1regel2" in sheet[1]


def test_xlsx_exports_have_a_frozen_header_with_a_filter(verband, oproep):
    """A finance colleague sorts and filters at once."""
    ActieFactory.create_batch(
        2, aanvraag=AanvraagFactory.create(regieverband=verband, oproep=oproep)
    )
    tabel = exports.acties_tabel(oproep)
    sheet = openpyxl.load_workbook(io.BytesIO(tabellen.as_xlsx(tabel))).active
    assert sheet.freeze_panes == "A2"
    laatste = openpyxl.utils.get_column_letter(len(tabel.kolommen))
    assert sheet.auto_filter.ref == f"A1:{laatste}3"
    assert sheet.max_row == 3
