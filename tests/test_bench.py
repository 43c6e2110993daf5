"""The query-count part of `make bench` (bench/queries.py): its pages still answer, and a query
per row makes the comparison fail with the statement that repeats."""

from __future__ import annotations

import pytest

from bench.queries import (
    BEHEERDER,
    BEOORDELAAR,
    REGISSEUR,
    PageResult,
    QueryResults,
    Sample,
    build,
    normalise,
    pages,
)
from bench.report import QueryReport, UploadReport
from bench.uploadcontrole import run_upload

from .conftest import client_for


@pytest.mark.django_db
def test_every_measured_page_answers_the_role_that_asks_it():
    world = build(1)
    clients = {
        REGISSEUR: client_for(world.regisseur),
        BEOORDELAAR: client_for(world.beoordelaar),
        BEHEERDER: client_for(world.beheerder),
    }
    gevraagd = pages(world)
    assert {p.role for p in gevraagd} == {REGISSEUR, BEOORDELAAR, BEHEERDER}
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
