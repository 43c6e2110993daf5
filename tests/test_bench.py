"""`make bench`: its pages still answer, a query per row makes the comparison fail with the
statement that repeats, list pages and exports count their data rows, the plain document holds
the aanvraag's text, and bench/results.json carries the keys of issue 17."""

from __future__ import annotations

import io
import json
import re
import subprocess

import pytest
from pypdf import PdfReader

from applications.aanvragen.models import Actie
from bench.data import build_large_aanvraag
from bench.measure import Measurement, time_interleaved
from bench.plain import plain_html, render_plain
from bench.queries import (
    ANONIEM,
    BEHEERDER,
    BEOORDELAAR,
    REGISSEUR,
    PageResult,
    QueryResults,
    Sample,
    build,
    clients_for,
    csv_rows,
    html_rows,
    measure,
    normalise,
    pages,
)
from bench.report import QueryReport, UploadReport, results_json
from bench.run import Results
from bench.uploadcontrole import run_upload

from .conftest import client_for


@pytest.mark.django_db
def test_every_measured_page_answers_the_role_that_asks_it():
    world = build(1)
    clients = clients_for(world)
    gevraagd = pages(world)
    assert {p.role for p in gevraagd} == {REGISSEUR, BEOORDELAAR, BEHEERDER, ANONIEM}
    statussen = {
        (p.name, p.role): clients[p.role].get(p.url, secure=True).status_code for p in gevraagd
    }
    assert statussen == dict.fromkeys(statussen, 200)


def _sample(*queries: str) -> Sample:
    return Sample(status=200, queries=queries, per_request=(len(queries),), seconds=(0.01,))


def test_the_same_statement_for_other_rows_compares_equal():
    assert normalise("SELECT * FROM t WHERE id = 12 AND naam = 'Gent'") == normalise(
        "SELECT * FROM t WHERE id = 7 AND naam = 'O''Brien'"
    )
    assert normalise("SELECT * FROM t WHERE id IN (1, 2, 3)") == normalise(
        "SELECT * FROM t WHERE id IN (4, 5)"
    )


def test_a_query_per_row_fails_and_names_the_statement():
    vast = "SELECT * FROM sessie WHERE sleutel = 'abc'"
    klein = _sample(vast, 'SELECT "naam" FROM "verband" WHERE "id" = 1')
    groot = _sample(vast, *(f'SELECT "naam" FROM "verband" WHERE "id" = {i}' for i in range(10)))
    rij = PageResult(name="aanvragen", role=REGISSEUR, small=klein, large=groot)
    assert not rij.equal and not rij.ok
    assert rij.extra_queries() == [(1, 10, 'SELECT "naam" FROM "verband" WHERE "id" = ?')]
    resultaten = QueryResults(scales=(1, 10), data={1: {}, 10: {}}, pages=[rij], repeat=1)
    assert not resultaten.ok
    tekst = QueryReport(results=resultaten, environment="test").render()
    assert '1 -> 10 times: SELECT ... FROM "verband" WHERE "id" = ?' in tekst
    assert tekst.endswith("FAILED")


def test_equal_counts_pass_unless_a_page_does_not_answer():
    gelijk = PageResult(name="dashboard", role=BEHEERDER, small=_sample("A"), large=_sample("B"))
    assert gelijk.ok
    fout = Sample(status=404, queries=("A",), per_request=(1,), seconds=(0.01,))
    assert not PageResult(name="dashboard", role=BEHEERDER, small=fout, large=_sample("A")).ok


def test_the_upload_part_checks_each_pdf_both_ways_and_finds_every_page():
    """`make bench`'s upload part: a 1- and a 40-page PDF, each checked in this process and in
    the child (it raises if either way finds another page count); the table names both."""
    metingen = run_upload(1)
    assert [(m.name, m.pages) for m in metingen] == [("1-page PDF", 1), ("40-page PDF", 40)]
    assert all(len(m.in_process) == len(m.child) == 1 for m in metingen)
    tekst = UploadReport(results=metingen, repeat=1, environment="test").render().splitlines()
    assert tekst[3].split() == [
        "document",
        "pages",
        "size",
        "(KB)",
        "in-process",
        "(ms)",
        "child",
        "(ms)",
        "child",
        "adds",
        "(ms)",
    ]
    assert [regel.split()[:2] for regel in tekst[5:]] == [["1-page", "PDF"], ["40-page", "PDF"]]


@pytest.mark.django_db
def test_list_pages_and_exports_count_their_data_rows():
    """rows_1x and rows_10x: an export's records, a list's table rows, at the scale built."""
    world = build(1)
    gevraagd = {(p.name, p.role): p for p in pages(world)}
    beoordelaar = client_for(world.beoordelaar)
    acties = measure(beoordelaar, gevraagd[("export acties.csv", BEOORDELAAR)], 1)
    assert acties.rows == Actie.objects.filter(aanvraag__oproep=world.ingediend).count()
    assert acties.rows > 0
    wachtrij = measure(beoordelaar, gevraagd[("beoordeling: wachtrij", BEOORDELAAR)], 1)
    assert wachtrij.rows and wachtrij.rows > 0
    assert measure(beoordelaar, gevraagd[("dashboard", BEOORDELAAR)], 1).rows is None


def test_rows_are_records_and_body_rows_not_lines_and_headers():
    export = '\ufeffNaam;Tekst\r\nA;"twee\r\nregels"\r\nB;x\r\n'.encode()
    assert csv_rows(export) == 2
    html = (
        b"<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>1</td></tr>"
        b'<tr class="x"><td>2</td></tr></tbody><tfoot><tr><td>t</td></tr></tfoot></table>'
        b"<table><tbody><tr><td>3</td></tr></tbody></table>"
    )
    assert html_rows(html) == 3


def _pdf_text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


@pytest.mark.django_db
def test_the_plain_document_holds_the_aanvraags_text_in_one_small_table_per_action():
    """The yardstick of the PDF: the same texts and every action, untagged, no contents page."""
    aanvraag = build_large_aanvraag()
    html = plain_html(aanvraag)
    assert html.count("<table>") == aanvraag.acties.count() == 60
    assert "Inhoud" not in html
    pdf = render_plain(html)
    reader = PdfReader(io.BytesIO(pdf))
    assert "/StructTreeRoot" not in reader.root_object
    tekst = _pdf_text(pdf)
    eerste = aanvraag.acties.order_by("prioriteit__code", "jaar", "volgorde").first()
    assert eerste is not None
    for stuk in (
        aanvraag.omgevingsanalyse[:200],
        aanvraag.visie.split("\n\n")[-1][:200],
        eerste.titel,
        eerste.beschrijving[:200],
        eerste.partners,
    ):
        assert re.sub(r"\s+", " ", stuk) in tekst


def _measurement(name: str, seconds: float, pdf: bytes) -> Measurement:
    return Measurement(name=name, seconds=(seconds,), pdf=pdf)


def test_results_json_carries_the_contract_keys_and_the_rows():
    een_pagina = render_plain("<p>een</p>")
    pdf = Results(
        large=_measurement("large", 3.0, een_pagina),
        plain=_measurement("plain", 2.0, een_pagina),
        baseline=_measurement("baseline", 0.04, een_pagina),
        acties=60,
        large_peak_python_bytes=1,
    )
    klein = Sample(status=200, queries=("A",), per_request=(1,), seconds=(0.004,), rows=20)
    groot = Sample(status=200, queries=("A",), per_request=(1,), seconds=(0.05,), rows=2000)
    export = PageResult(name="export acties.csv", role=BEOORDELAAR, small=klein, large=groot)
    queries = QueryResults(scales=(1, 10), data={1: {}, 10: {}}, pages=[export], repeat=1)
    figures = json.loads(
        json.dumps(results_json(pdf=pdf, queries=queries, upload=None, environment={"x": 1}))
    )
    assert figures["pdf_large_median_s"] == 3.0
    assert figures["pdf_plain_median_s"] == 2.0
    assert figures["pdf_baseline_median_s"] == 0.04
    assert figures["pdf"]["ratio_large_to_plain"] == 1.5
    page = figures["pages"]["export acties.csv (beoordelaar)"]
    assert page["queries_1x"] == page["queries_10x"] == 1
    assert (page["ms_1x"], page["ms_10x"]) == (4.0, 50.0)
    assert (page["rows_1x"], page["rows_10x"]) == (20, 2000)
    leeg = results_json(pdf=None, queries=None, upload=None, environment={})
    assert leeg["pdf_large_median_s"] is None and leeg["pages"] == {}


def test_the_results_files_are_not_committed():
    ignored = subprocess.run(
        ["git", "check-ignore", "bench/results.json", "loadtest/results.json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ignored.stdout.split() == ["bench/results.json", "loadtest/results.json"]


def test_the_documents_are_rendered_in_turn_so_a_slow_moment_weighs_on_each():
    volgorde: list[str] = []

    def render(naam: str):
        def doe() -> bytes:
            volgorde.append(naam)
            return naam.encode()

        return doe

    metingen = time_interleaved({"groot": render("groot"), "gewoon": render("gewoon")}, 3)
    assert volgorde == ["groot", "gewoon"] * 3
    assert [(m.name, len(m.seconds), m.pdf) for m in metingen] == [
        ("groot", 3, b"groot"),
        ("gewoon", 3, b"gewoon"),
    ]
