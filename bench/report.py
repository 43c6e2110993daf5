"""The table `make bench` prints."""

from __future__ import annotations

from dataclasses import dataclass

from .run import Results

MB = 1024 * 1024


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
