"""Read locust's CSV statistics and print the table `make loadtest` shows, with the verdicts."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from .cpu import CpuUse

P95_TARGET_MS = 300
RATIO_TARGET = Fraction(1, 3)


@dataclass(frozen=True)
class PageStats:
    """One row of locust's `_stats.csv`: one page and method, or the aggregate of a run."""

    method: str
    name: str
    requests: int
    failures: int
    rps: float
    p50: float | None
    p95: float | None
    p99: float | None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.method})" if self.method else self.name


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def read_stats(prefix: Path) -> tuple[list[PageStats], PageStats]:
    """The rows per page and the aggregated row of `<prefix>_stats.csv`."""
    rows: list[PageStats] = []
    total: PageStats | None = None
    with Path(f"{prefix}_stats.csv").open(newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            stats = PageStats(
                method=record["Type"],
                name=record["Name"],
                requests=int(record["Request Count"]),
                failures=int(record["Failure Count"]),
                rps=float(record["Requests/s"]),
                p50=_ms(record["50%"]),
                p95=_ms(record["95%"]),
                p99=_ms(record["99%"]),
            )
            if record["Name"] == "Aggregated":
                total = stats
            else:
                rows.append(stats)
    if total is None:
        raise ValueError(f"{prefix}_stats.csv has no Aggregated row")
    return rows, total


def read_failures(prefix: Path) -> list[str]:
    """One line per distinct failure: method, page, message and how often."""
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            f"{r['Method']} {r['Name']}: {r['Error']} ({r['Occurrences']}x)"
            for r in csv.DictReader(handle)
        ]


@dataclass
class Run:
    """A locust run as measured: its pages, its aggregate, its failures and the CPU it took."""

    titel: str
    pages: list[PageStats]
    total: PageStats
    failures: list[str]
    cpu: CpuUse | None
    exit_status: int

    @classmethod
    def read(cls, titel: str, prefix: Path, cpu: CpuUse | None, exit_status: int) -> Run:
        pages, total = read_stats(prefix)
        return cls(titel, pages, total, read_failures(prefix), cpu, exit_status)


@dataclass
class Report:
    heading: list[str]
    mix: Run
    minimaal: Run
    # The empty page of a logged-in user: the floor under every page (None with think time).
    leeg: Run | None = None
    sleutel: list[Run] = field(default_factory=list)
    # With think time the users' pace, not the server, sets the throughput: no ratios then.
    denktijd: float = 0.0

    @property
    def runs(self) -> list[Run]:
        return [self.mix, self.minimaal, *([self.leeg] if self.leeg else []), *self.sleutel]

    @property
    def failures(self) -> int:
        return sum(run.total.failures for run in self.runs)

    def ratio(self, run: Run) -> float:
        return run.total.rps / self.minimaal.total.rps if self.minimaal.total.rps else 0.0

    def render(self) -> str:
        lines = [*self.heading, ""]
        lines += self._table(self.mix.titel, self.mix.pages, self.mix.total, verdict=True)
        lines += [""]
        lines += self._table(self.minimaal.titel, self.minimaal.pages, None, verdict=True)
        lines += ["", *self._ratios(), "", *self._cpu(), ""]
        failures = [f"  [{run.titel}] {line}" for run in self.runs for line in run.failures]
        if failures:
            lines += ["Failures:", *failures, ""]
        lines += self._verdicts()
        return "\n".join(lines)

    @staticmethod
    def _table(
        titel: str, pages: list[PageStats], total: PageStats | None, *, verdict: bool
    ) -> list[str]:
        rows = [*pages, total] if total else list(pages)
        width = max(len("page"), *(len(r.label) for r in rows))
        header = (
            f"{'page':<{width}}  {'requests':>8}  {'req/s':>7}  {'p50 ms':>7}  {'p95 ms':>7}"
            f"  {'p99 ms':>7}  {'failures':>8}"
        )
        if verdict:
            header += "  p95<300"
        out = [titel, header, "-" * len(header)]
        for r in rows:
            if r is total:
                out.append("-" * len(header))
            line = (
                f"{r.label:<{width}}  {r.requests:>8}  {r.rps:>7.1f}  {_fmt(r.p50):>7}"
                f"  {_fmt(r.p95):>7}  {_fmt(r.p99):>7}  {r.failures:>8}"
            )
            if verdict and r is not total:
                line += "  " + ("OK" if r.p95 is not None and r.p95 < P95_TARGET_MS else "OVER")
            out.append(line)
        return out

    def _ratios(self) -> list[str]:
        if self.denktijd:
            return [
                f"No throughput ratios: with {self.denktijd:g} s of think time the users' pace,"
                " not the server, sets the portal's req/s (run without --think for them)."
            ]
        minimaal = self.minimaal.total.rps
        out = [
            f"Throughput against the minimal view ({minimaal:.1f} req/s with the same users),"
            f" target at least {RATIO_TARGET}:"
        ]
        rows = [
            ("minimal view", self.minimaal),
            *([("empty page, logged in (the floor)", self.leeg)] if self.leeg else []),
            ("all pages of the mix together", self.mix),
            *((f"key page alone: {_label(run)}", run) for run in self.sleutel),
        ]
        width = max(len(label) for label, _ in rows)
        out.append(
            f"  {'':<{width}}  {'req/s':>7}  {'p95 ms':>6}  {'ratio':>5}  {'':<5}"
            f"  gunicorn CPU ms per request"
        )
        for label, run in rows:
            ratio = self.ratio(run)
            verdict = (
                ""
                if run is self.minimaal or run is self.leeg
                else "OK"
                if ratio >= RATIO_TARGET
                else "UNDER"
            )
            cost = run.cpu.gunicorn_ms_per_request(run.total.requests) if run.cpu else None
            out.append(
                f"  {label:<{width}}  {run.total.rps:>7.1f}  {_fmt(run.total.p95):>6}"
                f"  {ratio:>5.2f}  {verdict:<5}  {_fmt(cost, 1)}"
            )
        return out + self._floor()

    def _floor(self) -> list[str]:
        """What the target leaves a page on top of the floor every page stands on."""
        if self.leeg is None or not self.leeg.total.rps:
            return []
        floor = self.ratio(self.leeg)
        return [
            f"  The empty logged-in page (the floor every page stands on) reaches {floor:.2f} of"
            f" the minimal view. The target asks a key page for at least"
            f" {self.minimaal.total.rps * float(RATIO_TARGET):.0f} req/s: at most"
            f" {floor / RATIO_TARGET:.2f} times the cost of that empty page"
            + (
                ", less than the empty page itself: no page behind a login can meet it here."
                if floor < RATIO_TARGET
                else "."
            )
        ]

    def _cpu(self) -> list[str]:
        out = [
            "CPU during each run, in cores (CPU seconds per second); the machine's total includes"
            " other processes:"
        ]
        width = max(len(run.titel) for run in self.runs)
        for run in self.runs:
            c = run.cpu
            if c is None:
                out.append(f"  {run.titel:<{width}}  not measured")
                continue
            out.append(
                f"  {run.titel:<{width}}  gunicorn {c.gunicorn:.2f}  PostgreSQL"
                f" {_fmt(c.postgres, 2)}  locust {c.locust:.2f}  other programs {c.other:.2f}"
                f"  machine {c.machine:.2f}"
            )
        return out

    def _verdicts(self) -> list[str]:
        requests = sum(run.total.requests for run in self.runs)
        over = [r.label for r in self.mix.pages if r.p95 is None or r.p95 >= P95_TARGET_MS]
        under = [_label(run) for run in self.sleutel if self.ratio(run) < RATIO_TARGET]
        return [
            "Targets:",
            f"  no error: {'OK' if not self.failures else 'FAILED'}"
            f" ({self.failures} failed of {requests} requests)",
            f"  p95 under {P95_TARGET_MS} ms on every page of the mix: "
            + ("OK" if not over else "OVER on " + ", ".join(over)),
            f"  each key page alone at least {RATIO_TARGET} of the minimal view's throughput: "
            + (
                "not measured (think time)"
                if self.denktijd
                else "OK"
                if not under
                else "UNDER for " + ", ".join(under)
            ),
        ]


def _label(run: Run) -> str:
    return run.pages[0].label if run.pages else run.titel


def _fmt(value: float | None, decimals: int = 0) -> str:
    return "-" if value is None else f"{value:.{decimals}f}"
