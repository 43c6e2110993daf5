"""The load test (loadtest/, `make loadtest`) kept in step with the portal: its data builder fills
a migrated database as the runs need, its sessions log users in without the login form, what its
locust users read from the pages (tokens, versions, links) is on those pages, and its report
says what failed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count
from django.test import Client

from applications.aanvragen.completeness import aanvraag_completeness
from applications.aanvragen.deadline import is_open_for_editing
from applications.aanvragen.models import Aanvraag
from applications.aanvragen.statuses import AanvraagStatus
from applications.besturen.models import Lidmaatschap, LokaalBestuur
from loadtest import paginas as p
from loadtest.cpu import CpuUse
from loadtest.data import OPEN_SLUG, Omvang, bijwerken, build
from loadtest.plan import Plan
from loadtest.processen import InstanceMetrics
from loadtest.report import Report, Run

pytestmark = pytest.mark.django_db

# Small: 4 verbanden over all 285 besturen, 13 actions per aanvraag (the PDF of a submission
# stays quick).
KLEIN = Omvang(verbanden=4, acties=13, beoordelaars=2)


@pytest.fixture
def plan(settings: Any) -> Plan:
    settings.REGIEROL_TWEESTAPS_VERPLICHT = True
    return build(omvang=KLEIN)


def logged_in(plan: Plan, sessie: str, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.cookies[plan.cookie] = sessie
    return client


def test_data_cover_every_bestuur_once_with_complete_open_drafts(plan: Plan) -> None:
    actief = LokaalBestuur.objects.filter(geldig_tot__isnull=True).values_list("pk", flat=True)
    assert sorted(Lidmaatschap.objects.values_list("bestuur_id", flat=True)) == sorted(actief)
    per_oproep = dict(
        Aanvraag.objects.values_list("oproep__slug")
        .annotate(n=Count("pk"))
        .values_list("oproep__slug", "n")
    )
    assert per_oproep == {"2020-2025": 4, "2023-2025": 4, OPEN_SLUG: 4}
    acties = Aanvraag.objects.annotate(n=Count("acties")).values_list("n", flat=True)
    assert min(acties) >= KLEIN.acties
    drafts = [r for r in plan.regisseurs if r.bewerken]
    assert len(drafts) == 3
    assert len(plan.ingediend) == 1
    for regisseur in drafts:
        aanvraag = Aanvraag.objects.select_related("oproep", "regieverband").get(
            pk=regisseur.aanvraag
        )
        assert aanvraag.status == AanvraagStatus.CONCEPT
        assert aanvraag_completeness(aanvraag).is_complete
        assert is_open_for_editing(aanvraag)


def test_a_regisseur_round_saves_and_submits_with_what_the_pages_carry(plan: Plan) -> None:
    regisseur = next(r for r in plan.regisseurs if r.bewerken)
    client = logged_in(plan, regisseur.sessie, enforce_csrf_checks=True)
    basis = f"/aanvragen/{regisseur.aanvraag}"

    teksten = client.get(f"{basis}/teksten/").content.decode()
    response = client.post(
        f"{basis}/teksten/",
        {
            "csrfmiddlewaretoken": p.csrf_token(teksten),
            "versie": p.versie(teksten),
            "omgevingsanalyse": "Gewijzigd door de loadtest.",
            "visie": "Gewijzigd door de loadtest.",
        },
    )
    assert response.status_code == 302

    plan_html = client.get(f"{basis}/meerjarenplan/").content.decode()
    acties = p.acties(plan_html, regisseur.aanvraag)
    assert len(acties) >= KLEIN.acties
    assert p.lege_plaatsen(plan_html)
    actie = client.get(f"{basis}/acties/{acties[0]}/").content.decode()
    response = client.post(
        f"{basis}/acties/{acties[0]}/",
        {
            "csrfmiddlewaretoken": p.csrf_token(actie),
            "versie": p.versie(actie),
            "prioriteit": p.gekozen(actie, "prioriteit"),
            "jaar": p.gekozen(actie, "jaar"),
            "titel": "Gewijzigd door de loadtest",
            "budget": "12.500,50",
        },
    )
    assert response.status_code == 302

    overzicht = client.get(f"{basis}/").content.decode()
    assert p.kan_indienen(overzicht, regisseur.aanvraag)
    bevestigen = client.get(f"{basis}/indienen/").content.decode()
    response = client.post(
        f"{basis}/indienen/",
        {"csrfmiddlewaretoken": p.csrf_token(bevestigen), "mandaat": "on"},
    )
    assert response.status_code == 302
    assert not p.kan_indienen(client.get(f"{basis}/").content.decode(), regisseur.aanvraag)
    assert Aanvraag.objects.get(pk=regisseur.aanvraag).status == AanvraagStatus.INGEDIEND


def test_a_reviewer_session_is_past_the_two_step_login_and_finds_the_queue(plan: Plan) -> None:
    client = logged_in(plan, plan.beoordelaars[0])
    response = client.get("/beoordeling/")
    assert response.status_code == 200
    assert set(plan.ingediend) <= {int(pk) for pk in p.beoordeling_links(response.content.decode())}
    assert client.get(f"/beoordeling/{plan.ingediend[0]}/").status_code == 200


def test_the_minimal_view_exists_only_in_the_load_test_urlconf(
    settings: Any, django_assert_num_queries: Any
) -> None:
    assert Client().get(p.MINIMAAL_URL).status_code == 404
    settings.ROOT_URLCONF = "loadtest.urls"
    with django_assert_num_queries(0):
        response = Client().get(p.MINIMAAL_URL)
    assert response.status_code == 200


def test_the_empty_page_is_the_base_template_for_a_logged_in_user_only(
    plan: Plan, settings: Any
) -> None:
    assert logged_in(plan, plan.regisseurs[0].sessie).get(p.LEGE_PAGINA_URL).status_code == 404
    settings.ROOT_URLCONF = "loadtest.urls"
    assert Client().get(p.LEGE_PAGINA_URL).status_code == 302
    response = logged_in(plan, plan.regisseurs[0].sessie).get(p.LEGE_PAGINA_URL)
    assert response.status_code == 200
    assert response.templates[0].name == "base.html"
    assert "Afmelden" in response.content.decode()


STATS_CSV = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,"
    "80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
    "GET,{naam},{n},{f},20,25,5,400,1000,{rps},0.0,20,22,24,26,30,{p95},300,350,400,400,400\n"
    ",Aggregated,{n},{f},20,25,5,400,1000,{rps},0.0,20,22,24,26,30,{p95},300,350,400,400,400\n"
)


def run(tmp_path: Path, naam: str, *, requests: int, failures: int, rps: float, p95: int) -> Run:
    prefix = tmp_path / naam.replace(" ", "-").replace(":", "")
    Path(f"{prefix}_stats.csv").write_text(
        STATS_CSV.format(naam=naam, n=requests, f=failures, rps=rps, p95=p95), encoding="utf-8"
    )
    return Run.read(naam, prefix, None, 0)


def test_the_report_gives_a_verdict_per_target_of_issue_17(tmp_path: Path) -> None:
    report = Report(
        heading=["Load test"],
        minimaal=run(tmp_path, p.MINIMAAL, requests=9000, failures=0, rps=900.0, p95=40),
        mix=run(tmp_path, p.TEKSTEN, requests=100, failures=2, rps=20.0, p95=450),
        mix_denktijd=run(tmp_path, p.OVERZICHT, requests=100, failures=0, rps=8.0, p95=160),
        denktijd=5,
        leeg=run(tmp_path, p.LEGE_PAGINA, requests=3000, failures=0, rps=250.0, p95=60),
        sleutel=[
            run(tmp_path, p.WACHTRIJ, requests=6000, failures=0, rps=130.0, p95=90),
            run(tmp_path, p.DETAIL, requests=900, failures=0, rps=60.0, p95=250),
        ],
    )
    text = report.render()
    assert report.failures == 2
    assert "no error: FAILED (2 failed of 19100 requests)" in text
    # With think time every page's p95 is held to 150 ms; without, it is reported only.
    assert f"OVER on {p.OVERZICHT} (GET) (no submission in this run)" in text
    assert f"OVER on {p.TEKSTEN}" not in text
    # Key pages against the empty logged-in page: 130/250 = 0.52 passes, 60/250 = 0.24 not.
    assert f"UNDER for {p.DETAIL} (GET)" in text
    assert f"UNDER for {p.WACHTRIJ}" not in text
    assert "reaches 0.28 of the minimal view" in text
    assert "at 125 req/s or more: at most 2 times the cost of that empty page." in text
    floor_row = next(line for line in text.splitlines() if "the floor)" in line)
    assert floor_row.split()[-5:] == ["60", "0.28", "1.00", "-", "-"]


def test_results_json_has_the_contract_keys_for_every_page_visited(tmp_path: Path) -> None:
    indienen = tmp_path / "indienen"
    Path(f"{indienen}_stats.csv").write_text(
        STATS_CSV.format(naam=p.INDIENEN, n=3, f=0, rps=0.1, p95=1200).replace("GET,", "POST,", 1),
        encoding="utf-8",
    )
    report = Report(
        heading=["Load test"],
        minimaal=run(tmp_path, p.MINIMAAL, requests=9000, failures=0, rps=900.0, p95=40),
        mix=run(tmp_path, p.WACHTRIJ, requests=100, failures=1, rps=20.0, p95=800),
        mix_denktijd=Run.read("denktijd", indienen, None, 0),
        denktijd=5,
        leeg=run(tmp_path, p.LEGE_PAGINA, requests=3000, failures=0, rps=250.0, p95=60),
        sleutel=[run(tmp_path, p.WACHTRIJ, requests=6000, failures=0, rps=100.0, p95=90)],
        instances=[
            InstanceMetrics("http://127.0.0.1:1", {"2xx": 500, "3xx": 40}, 0, 0),
            InstanceMetrics("http://127.0.0.1:2", {"2xx": 510, "5xx": 1}, 2, 0),
        ],
    )
    assert "2. http://127.0.0.1:2: 511 (2xx 510, 5xx 1)" in report.render()
    # By gunicorn's CPU: 2 ms a request for the empty page (0.6 cores x 10 s / 3,000), 4 ms for
    # the queue (2.4 x 10 / 6,000).
    assert report.leeg is not None
    report.leeg.cpu = CpuUse(10, 0.6, None, None, 0.1, 2.0)
    report.sleutel[0].cpu = CpuUse(10, 2.4, None, None, 0.1, 2.0)
    figures = json.loads(json.dumps(report.results_json({"environment": {"servers": 2}})))
    assert figures["errors"] == 1
    assert (
        figures["pages"][f"{p.WACHTRIJ} (GET)"].items()
        >= {
            "p95_ms_think": None,
            "p95_ms_no_think": 800.0,
            "ratio_to_logged_in": 0.4,
            "is_submit": False,
        }.items()
    )
    assert (
        figures["pages"][f"{p.INDIENEN} (POST)"].items()
        >= {
            "p95_ms_think": 1200.0,
            "p95_ms_no_think": None,
            "ratio_to_logged_in": None,
            "is_submit": True,
        }.items()
    )
    assert figures["logged_in_rps"] == 250.0
    assert figures["environment"] == {"servers": 2}
    assert [i["total"] for i in figures["instances"]] == [540, 511]
    assert figures["task_queue_depth_at_end"] == 2


def test_a_second_run_follows_up_the_drafts_the_first_one_submitted(plan: Plan) -> None:
    """Between the scenarios the plan is brought up to date: a draft submitted in the first run
    is no longer edited in the second, and the reviewers find it in the queue."""
    regisseur = next(r for r in plan.regisseurs if r.bewerken)
    Aanvraag.objects.filter(pk=regisseur.aanvraag).update(status=AanvraagStatus.INGEDIEND)
    nieuw = bijwerken(plan)
    assert [r.aanvraag for r in nieuw.regisseurs if not r.bewerken] == sorted(
        [regisseur.aanvraag, *plan.ingediend],
        key=[r.aanvraag for r in plan.regisseurs].index,
    )
    assert sorted(nieuw.ingediend) == sorted([regisseur.aanvraag, *plan.ingediend])
    assert [r.sessie for r in nieuw.regisseurs] == [r.sessie for r in plan.regisseurs]
