"""The tables `make bench` prints: PDF timings, and query counts per page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .queries import QueryResults
from .run import Results
from .uploadcontrole import UploadMeasurement

MB = 1024 * 1024
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
        large, baseline = self.results.large, self.results.baseline
        rows = [
            (f"{large.name} ({self.results.acties} acties)", large),
            (baseline.name, baseline),
        ]
        width = max(len(label) for label, _ in rows)
        header = (
            f"{'document':<{width}}  {'pages':>5}  {'size (KB)':>9}  {'median (s)':>10}"
            f"  {'min (s)':>8}"
        )
        lines = [
            f"PDF benchmark: {self.repeat} timed renders of each document after one warm-up",
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
        lines += [
            "",
            f"ratio large/baseline (medians): {ratio:.1f}x",
            f"peak Python memory of one large render (tracemalloc): "
            f"{self.results.large_peak_python_bytes / MB:.1f} MB",
            f"peak resident memory of the whole run (ru_maxrss): {self.peak_rss_bytes / MB:.1f} MB",
            "",
            f"large aanvraag median {large.median:.3f} s, target under "
            f"{self.target_seconds:g} s: {verdict}",
        ]
        return "\n".join(lines)


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
        )
        lines = [
            f"Query counts: every main page at {small}x and {large}x data, asked by the role that"
            f" uses it; times are medians of {self.results.repeat} requests after one warm-up",
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
                f"  {p.ratio:>9.1f}x"
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
