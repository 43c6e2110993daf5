"""Metrics for operators, in Prometheus' text format at `/metrics` (issue 17: in the deadline hour
operators must see what happens).

- `regierol_http_request_duration_seconds` (histogram, label `view`): how long each request took
  in this app server, from the first middleware to the last byte Django hands gunicorn;
- `regierol_http_responses_total` (counter, label `status_class`: 2xx, 3xx, 4xx, 5xx): the
  answers; the error rate is the 5xx share;
- `regierol_task_queue_depth` (gauge): tasks in django-q2's queue (OrmQ), waiting or being run;
- `regierol_task_failures` (gauge): tasks django-q2 keeps as failed after their last attempt.

Made with prometheus-client, the reference client library, and not django-prometheus: the portal
needs four series, not a middleware pair and database wrappers that measure every model and
query on every request of a CPU-bound portal.

Several processes, several servers. gunicorn's workers are separate processes, each with its
own counters; with PROMETHEUS_MULTIPROC_DIR set (an empty directory per server, see README)
prometheus-client keeps each process's values in files there and `/metrics` adds them up, so
the answer is the server's, whichever worker gives it. Without it (the development server, the
tests) the values are this process's. The queue figures are read from the database at each
scrape, so every server gives the same ones. Each app server is scraped on its own address.

Not public: `/metrics` answers only a request that carries `Authorization: Bearer <token>` with
the token of REGIEROL_METRICS_TOKEN; without that setting, or with another token, it answers 404
like any page that does not exist for the asker. A loopback-only rule would not do: behind the
proxy every request comes from loopback.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_q.models import Failure, OrmQ
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

METRICS_URL_NAME = "metrics"

# From well under a page's 150 ms target to a submission's seconds.
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 1.5, 2.5, 5.0, 10.0, 30.0)

# registry=None: registered by the view itself, in its own registry for each scrape (below).
REQUEST_DURATION = Histogram(
    "regierol_http_request_duration_seconds",
    "Time from the first middleware to the response, per view (the admin site counts as one).",
    ["view"],
    buckets=BUCKETS,
    registry=None,
)
RESPONSES = Counter(
    "regierol_http_responses",
    "Responses by status class (2xx, 3xx, 4xx, 5xx); the error rate is the 5xx share.",
    ["status_class"],
    registry=None,
)


def view_label(request: HttpRequest) -> str:
    """The view a request reached: its URL name, the namespace for the admin site (a few
    hundred generated pages are one series), `none` when no URL matched (a 404, a static file
    that whitenoise served before the URLs were read)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "none"
    return match.namespace or match.url_name or "none"


class MetricsMiddleware:
    """First in MIDDLEWARE: times every request, with all the other middleware, and counts its
    answer. Scrapes of `/metrics` itself are left out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        view = view_label(request)
        if view != METRICS_URL_NAME:
            REQUEST_DURATION.labels(view=view).observe(time.perf_counter() - start)
            RESPONSES.labels(status_class=f"{response.status_code // 100}xx").inc()
        return response


class TaskQueueCollector(Collector):
    """django-q2's queue and its failures, counted in the database at each scrape."""

    def collect(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            "regierol_task_queue_depth",
            "Tasks in the queue of the worker (django-q2 OrmQ): waiting or being run.",
            value=OrmQ.objects.count(),
        )
        yield GaugeMetricFamily(
            "regierol_task_failures",
            "Tasks kept as failed after their last attempt (django-q2 Failure).",
            value=Failure.objects.count(),
        )


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # The values of every worker process of this server, from their files.
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_DURATION)
        registry.register(RESPONSES)
    registry.register(TaskQueueCollector())
    return registry


def _token_matches(request: HttpRequest) -> bool:
    expected = settings.REGIEROL_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(expected) and hmac.compare_digest(given.encode(), f"Bearer {expected}".encode())


@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """The metrics in Prometheus' text format, for the bearer of REGIEROL_METRICS_TOKEN only."""
    if not _token_matches(request):
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
