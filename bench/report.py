"""The tables `make bench` prints (PDF timings, query counts per page, the upload check) and the
same figures as JSON (bench/results.json)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .measure import Measurement
from .queries import PageResult, QueryResults
from .run import Results
from .uploadcontrole import UploadMeasurement

MB = 1024 * 1024
# Issue 17: the aanvraag's PDF takes at most 1.2 times the plain document with the same text.
PLAIN_RATIO_TARGET = 1.2
# The column list of a SELECT says little about where a query comes from; its tables do.
_COLUMNS = re.compile(r"^SELECT (DISTINCT )?.+? FROM ", re.DOTALL)


def short_sql(sql: str, limit: int = 240) -> str:
    shortened = _COLUMNS.sub(lambda m: f"SELECT {m.group(1) or ''}... FROM ", sql, count=1)
    return shortened if len(shortened) <= limit else shortened[: limit - 3] + "..."


@dataclass(frozen=True)
class Report:
    results: Results
    repeat: int
    target_seconds: float
    environment: str
    peak_rss_bytes: int

    def render(self) -> str:
        large, plain, baseline = self.results.large, self.results.plain, self.results.baseline
        rows = [
            (f"{large.name} ({self.results.acties} acties)", large),
            (plain.name, plain),
            (baseline.name, baseline),
        ]
        width = max(len(label) for label, _ in rows)
        header = (
            f"{'document':<{width}}  {'pages':>5}  {'size (KB)':>9}  {'median (s)':>10}"
            f"  {'min (s)':>8}"
        )
        lines = [
            f"PDF benchmark: {self.repeat} rounds after one warm-up, each rendering the three"
            " documents in turn",
            self.environment,
            "",
            header,
            "-" * len(header),
        ]
        for label, m in rows:
            lines.append(
                f"{label:<{width}}  {m.pages:>5}  {m.size / 1024:>9.1f}  {m.median:>10.3f}"
                f"  {m.fastest:>8.3f}"
            )
        ratio = large.median / baseline.median
        verdict = "OK" if large.median < self.target_seconds else "OVER"
        plain_verdict = "OK" if self.results.ratio_to_plain <= PLAIN_RATIO_TARGET else "OVER"
        lines += [
            "",
            f"ratio large/plain (medians): {self.results.ratio_to_plain:.2f}x, target at most"
            f" {PLAIN_RATIO_TARGET:g}x: {plain_verdict} (pages: {large.pages} large,"
            f" {plain.pages} plain)",
            f"ratio large/baseline (medians): {ratio:.1f}x",
            f"peak Python memory of one large render (tracemalloc): "
            f"{self.results.large_peak_python_bytes / MB:.1f} MB",
            f"peak resident memory of the whole run (ru_maxrss): {self.peak_rss_bytes / MB:.1f} MB",
            "",
            f"large aanvraag median {large.median:.3f} s, target under "
            f"{self.target_seconds:g} s: {verdict}",
        ]
        return "\n".join(lines)


def _rows(rows: int | None) -> str:
    return "-" if rows is None else str(rows)


@dataclass(frozen=True)
class QueryReport:
    """The query count of every main page at both scales, and what differs where it differs."""

    results: QueryResults
    environment: str

    def render(self) -> str:
        small, large = self.results.scales
        rows = self.results.pages
        width = max(len(f"{p.name} ({p.role})") for p in rows)
        header = (
            f"{'page (role)':<{width}}  {f'q {small}x':>6}  {f'q {large}x':>6}  {'equal':>5}"
            f"  {f'ms {small}x':>7}  {f'ms {large}x':>7}  {'time ratio':>10}"
            f"  {f'rows {small}x':>7}  {f'rows {large}x':>8}"
        )
        lines = [
            f"Query counts: every main page at {small}x and {large}x data, asked by the role that"
            f" uses it; times are medians of {self.results.repeat} requests after two warm-ups;"
            " rows: an export's records, a list's table rows",
            self.environment,
            "",
            *(
                f"{scale}x data: "
                + ", ".join(f"{what} {n}" for what, n in self.results.data[scale].items())
                for scale in self.results.scales
            ),
            "",
            header,
            "-" * len(header),
        ]
        for p in rows:
            equal = "yes" if p.equal else "NO"
            label = f"{p.name} ({p.role})"
            lines.append(
                f"{label:<{width}}  {p.small.count:>6}  {p.large.count:>6}  {equal:>5}"
                f"  {p.small.median * 1000:>7.1f}  {p.large.median * 1000:>7.1f}"
                f"  {p.ratio:>9.1f}x  {_rows(p.small.rows):>7}  {_rows(p.large.rows):>8}"
            )
        problems = [p for p in rows if not p.ok]
        lines.append("")
        if not problems:
            lines.append(
                f"query counts: every page ({len(rows)}) takes as many queries at {large}x as at"
                f" {small}x: OK"
            )
            return "\n".join(lines)
        for p in problems:
            lines.append(f"{p.name} ({p.role}):")
            if p.small.status != 200 or p.large.status != 200:
                lines.append(
                    f"  HTTP status {p.small.status} at {small}x, {p.large.status} at {large}x"
                )
            if not (p.small.stable and p.large.stable):
                lines.append(
                    f"  counts vary between requests: {list(p.small.per_request)} at {small}x,"
                    f" {list(p.large.per_request)} at {large}x"
                )
            for n_small, n_large, sql in p.extra_queries():
                lines.append(f"  {n_small} -> {n_large} times: {short_sql(sql)}")
        lines.append(f"query counts: {len(problems)} of {len(rows)} pages differ or failed: FAILED")
        return "\n".join(lines)


@dataclass(frozen=True)
class UploadReport:
    """The upload check of each PDF in the worker and in its child process: medians, and what
    the child adds."""

    results: list[UploadMeasurement]
    repeat: int
    environment: str

    def render(self) -> str:
        width = max(len(m.name) for m in self.results)
        header = (
            f"{'document':<{width}}  {'pages':>5}  {'size (KB)':>9}  {'in-process (ms)':>15}"
            f"  {'child (ms)':>10}  {'child adds (ms)':>15}"
        )
        lines = [
            f"Upload check: median of {self.repeat} checks of each PDF in the worker and in its"
            " child process, after one warm-up",
            self.environment,
            "",
            header,
            "-" * len(header),
        ]
        for m in self.results:
            extra = m.child_median - m.in_process_median
            lines.append(
                f"{m.name:<{width}}  {m.pages:>5}  {m.size / 1024:>9.1f}"
                f"  {m.in_process_median * 1000:>15.1f}  {m.child_median * 1000:>10.1f}"
                f"  {extra * 1000:>15.1f}"
            )
        return "\n".join(lines)


# --- bench/results.json ------------------------------------------------------------------------


def _pdf(m: Measurement) -> dict[str, Any]:
    return {
        "median_s": round(m.median, 4),
        "min_s": round(m.fastest, 4),
        "pages": m.pages,
        "size_bytes": m.size,
        "seconds": [round(s, 4) for s in m.seconds],
    }


def _page(p: PageResult) -> dict[str, Any]:
    return {
        # The contract of issue 17.
        "queries_1x": p.small.count,
        "queries_10x": p.large.count,
        "ms_1x": round(p.small.median * 1000, 1),
        "ms_10x": round(p.large.median * 1000, 1),
        # More, to judge a page by.
        "role": p.role,
        "url_1x": p.url,
        "status_1x": p.small.status,
        "status_10x": p.large.status,
        "queries_equal": p.equal,
        "time_ratio": round(p.ratio, 2),
        "rows_1x": p.small.rows,
        "rows_10x": p.large.rows,
    }


def results_json(
    *,
    pdf: Results | None,
    queries: QueryResults | None,
    upload: list[UploadMeasurement] | None,
    environment: dict[str, Any],
) -> dict[str, Any]:
    """What `make bench` measured, for CI and people to compare runs (bench/results.json).

    The keys of issue 17 come first and are always there (null for a part that did not run):
    `pdf_large_median_s`, `pdf_plain_median_s`, `pdf_baseline_median_s` and `pages`, one entry
    per page named as in the printed table ("<page> (<role>)"; an export's name holds "export")
    with `queries_1x`, `queries_10x`, `ms_1x`, `ms_10x`. The rest is extra: the PDFs' pages and
    sizes, the ratio to the plain document, each page's data rows at both scales (`rows_1x`,
    `rows_10x`: an export's records, a list's table rows; null for other pages), the data
    built at each scale, the upload check and the environment.
    """
    out: dict[str, Any] = {
        "pdf_large_median_s": round(pdf.large.median, 4) if pdf else None,
        "pdf_plain_median_s": round(pdf.plain.median, 4) if pdf else None,
        "pdf_baseline_median_s": round(pdf.baseline.median, 4) if pdf else None,
        "pages": {p.label: _page(p) for p in queries.pages} if queries else {},
    }
    if pdf:
        out["pdf"] = {
            "acties": pdf.acties,
            "large": _pdf(pdf.large),
            "plain": _pdf(pdf.plain),
            "baseline": _pdf(pdf.baseline),
            "ratio_large_to_plain": round(pdf.ratio_to_plain, 3),
            "ratio_large_to_plain_target": PLAIN_RATIO_TARGET,
            "large_peak_python_bytes": pdf.large_peak_python_bytes,
        }
    if queries:
        out["queries_ok"] = queries.ok
        out["page_repeat"] = queries.repeat
        out["data"] = {f"{scale}x": built for scale, built in queries.data.items()}
    if upload is not None:
        out["upload"] = {
            m.name: {
                "pages": m.pages,
                "size_bytes": m.size,
                "in_process_median_ms": round(m.in_process_median * 1000, 1),
                "child_median_ms": round(m.child_median * 1000, 1),
            }
            for m in upload
        }
    out["environment"] = environment
    return out
