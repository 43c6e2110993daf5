"""`/metrics` (applications/core/metrics.py): only for the bearer of REGIEROL_METRICS_TOKEN, in
Prometheus' text format, with request latency, answers per status class (5xx counted) and the
task queue read from the database; under gunicorn the workers' values add up."""

from __future__ import annotations

import threading
import urllib.request
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from django_q.models import Failure, OrmQ
from prometheus_client.parser import text_string_to_metric_families

from loadtest.paginas import MINIMAAL_URL
from loadtest.processen import Gunicorn

from ..servers import server_env

pytestmark = pytest.mark.django_db

TOKEN = "test-metrics-token-0123456789"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape by name and labels."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def scrape(client: Client | None = None) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = (client or Client()).get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return samples(response.content.decode())


@pytest.fixture
def token(settings: Any) -> str:
    settings.REGIEROL_METRICS_TOKEN = TOKEN
    return TOKEN


def test_metrics_are_not_there_without_the_token(settings: Any) -> None:
    settings.REGIEROL_METRICS_TOKEN = ""
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    settings.REGIEROL_METRICS_TOKEN = TOKEN
    assert Client().get("/metrics").status_code == 404
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer verkeerd").status_code == 404
    assert Client().get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 404
    assert Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_requests_are_timed_per_view_and_counted_per_status_class(token: str) -> None:
    voor = scrape()
    client = Client()
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert client.get("/bestaat-niet/").status_code == 404
    with mock.patch(
        "applications.core.views.connection.cursor", side_effect=RuntimeError("database weg")
    ):
        assert client.get("/healthz").status_code == 503
    na = scrape()

    def verschil(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return na.get(key, 0.0) - voor.get(key, 0.0)

    duur = "regierol_http_request_duration_seconds"
    assert verschil(f"{duur}_count", view="healthz") == 4
    assert verschil(f"{duur}_bucket", view="healthz", le="+Inf") == 4
    assert verschil(f"{duur}_sum", view="healthz") > 0
    assert verschil(f"{duur}_count", view="none") == 1
    antwoorden = "regierol_http_responses_total"
    assert verschil(antwoorden, status_class="2xx") == 3
    assert verschil(antwoorden, status_class="4xx") == 1
    assert verschil(antwoorden, status_class="5xx") == 1
    # The scrapes themselves are not counted.
    assert verschil(f"{duur}_count", view="metrics") == 0


def test_the_task_queue_and_its_failures_are_read_from_the_database(token: str) -> None:
    OrmQ.objects.create(key="regierol", payload="een")
    OrmQ.objects.create(key="regierol", payload="twee")
    Failure.objects.create(
        id="f" * 32,
        name="mislukt",
        func="applications.berichten.services.verstuur",
        started=timezone.now(),
        stopped=timezone.now(),
        success=False,
    )
    gemeten = scrape()
    assert gemeten[("regierol_task_queue_depth", ())] == 2
    assert gemeten[("regierol_task_failures", ())] == 1


def test_the_workers_of_one_gunicorn_add_up_in_multiprocess_mode(
    token: str, tmp_path: Path
) -> None:
    """Two sync workers, 24 requests at once: whichever worker answers the scrape, it counts
    all 24, from the files each worker keeps in PROMETHEUS_MULTIPROC_DIR. (The load test's
    minimal view, which nothing else asks: the health checks of the start may still be under
    way.)"""
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = server_env(tmp_path) | {
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "REGIEROL_METRICS_TOKEN": TOKEN,
    }
    server = Gunicorn(
        env=env, log=tmp_path / "gunicorn.log", workers=2, worker_class="sync", threads=1
    )
    try:
        server.wait_until_healthy(timeout=120)  # one /healthz request, maybe more
        voor = _scrape_server(server)
        threads = [
            threading.Thread(target=_get, args=(f"{server.url}{MINIMAAL_URL}",)) for _ in range(24)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        na = _scrape_server(server)
    finally:
        server.stop()
    key = ("regierol_http_request_duration_seconds_count", (("view", "loadtest_minimaal"),))
    assert na[key] - voor.get(key, 0.0) == 24
    assert len({f.name.rsplit("_", 1)[-1] for f in metrics_dir.glob("histogram_*.db")}) == 2


def _get(url: str, headers: dict[str, str] | None = None) -> str:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return str(response.read().decode())


def _scrape_server(server: Gunicorn) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return samples(_get(f"{server.url}/metrics", {"Authorization": f"Bearer {TOKEN}"}))
