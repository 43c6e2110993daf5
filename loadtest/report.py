"""Read locust's CSV statistics, print the tables `make loadtest` shows with the verdicts, and
write the same figures as JSON (loadtest/results.json)."""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from .cpu import CpuUse
from .paginas import INDIENEN
from .processen import InstanceMetrics

# Issue 17's targets. The deadline hour, users with think time: every page's p95 under 150 ms,
# the submission's under 1.5 s. Each key page alone: at least half the throughput of the empty
# logged-in page (the floor every page stands on), measured in the same run.
P95_TARGET_MS = 150
SUBMIT_P95_TARGET_MS = 1500
RATIO_TARGET = Fraction(1, 2)


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

    @property
    def is_submit(self) -> bool:
        """The submission itself (the POST that seals the aanvraag), held to its own target."""
        return self.name == INDIENEN and self.method == "POST"

    @property
    def p95_target_ms(self) -> int:
        return SUBMIT_P95_TARGET_MS if self.is_submit else P95_TARGET_MS


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
    """The runs of one `make loadtest`: the mix without and with think time (either may be left
    out with --alleen), the minimal view, the empty logged-in page and each key page alone
    (these three without think time, in the same run as the mix without it)."""

    heading: list[str]
    minimaal: Run
    mix: Run | None = None  # no think time
    mix_denktijd: Run | None = None
    denktijd: float = 0.0  # the mean pause of mix_denktijd
    # The empty page of a logged-in user: the floor under every page (None without the no-think
    # scenario).
    leeg: Run | None = None
    sleutel: list[Run] = field(default_factory=list)
    # Each gunicorn instance's /metrics after the runs: how the load was spread.
    instances: list[InstanceMetrics] = field(default_factory=list)

    @property
    def runs(self) -> list[Run]:
        return [
            run
            for run in (self.mix, self.mix_denktijd, self.minimaal, self.leeg, *self.sleutel)
            if run is not None
        ]

    @property
    def failures(self) -> int:
        return sum(run.total.failures for run in self.runs)

    def ratio(self, run: Run) -> float:
        """Throughput against the minimal view's."""
        return run.total.rps / self.minimaal.total.rps if self.minimaal.total.rps else 0.0

    def ratio_to_logged_in(self, run: Run) -> float | None:
        """Throughput against the empty logged-in page's, same run (issue 17's measure)."""
        if self.leeg is None or not self.leeg.total.rps:
            return None
        return run.total.rps / self.leeg.total.rps

    def cpu_ratio_to_logged_in(self, run: Run) -> float | None:
        """The same comparison by gunicorn's CPU per request: the empty logged-in page's
        milliseconds over the page's. Other programs on a shared machine change throughput
        much more than this cost, so it shows whether a low ratio is the page's or the
        machine's."""
        if self.leeg is None or self.leeg.cpu is None or run.cpu is None:
            return None
        floor = self.leeg.cpu.gunicorn_ms_per_request(self.leeg.total.requests)
        cost = run.cpu.gunicorn_ms_per_request(run.total.requests)
        return floor / cost if floor and cost else None

    def render(self) -> str:
        lines = [*self.heading, ""]
        if self.mix is not None:
            lines += self._table(self.mix.titel, self.mix.pages, self.mix.total, verdict=False)
            lines += [""]
        if self.mix_denktijd is not None:
            lines += self._table(
                self.mix_denktijd.titel,
                self.mix_denktijd.pages,
                self.mix_denktijd.total,
                verdict=True,
            )
            lines += [""]
        lines += self._table(self.minimaal.titel, self.minimaal.pages, None, verdict=False)
        lines += ["", *self._ratios(), "", *self._cpu(), "", *self._instances()]
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
            header += f"  p95 target (submit {SUBMIT_P95_TARGET_MS}, other {P95_TARGET_MS})"
        out = [titel, header, "-" * len(header)]
        for r in rows:
            if r is total:
                out.append("-" * len(header))
            line = (
                f"{r.label:<{width}}  {r.requests:>8}  {r.rps:>7.1f}  {_fmt(r.p50):>7}"
                f"  {_fmt(r.p95):>7}  {_fmt(r.p99):>7}  {r.failures:>8}"
            )
            if verdict and r is not total:
                line += "  " + ("OK" if r.p95 is not None and r.p95 < r.p95_target_ms else "OVER")
            out.append(line)
        return out

    def _ratios(self) -> list[str]:
        if self.leeg is None:
            return [
                "No throughput ratios: they come from the runs without think time (plain"
                " `make loadtest` runs them)."
            ]
        minimaal = self.minimaal.total.rps
        out = [
            f"Throughput without think time, against the minimal view ({minimaal:.1f} req/s) and"
            f" the empty logged-in page ({self.leeg.total.rps:.1f} req/s) with the same users;"
            f" target for a key page alone at least {RATIO_TARGET} of the empty logged-in page:"
        ]
        rows = [
            ("minimal view", self.minimaal),
            ("empty page, logged in (the floor)", self.leeg),
            *([("all pages of the mix together", self.mix)] if self.mix else []),
            *((f"key page alone: {_label(run)}", run) for run in self.sleutel),
        ]
        width = max(len(label) for label, _ in rows)
        out.append(
            f"  {'':<{width}}  {'req/s':>7}  {'p95 ms':>6}  {'/minimal':>8}  {'/logged in':>10}"
            f"  {'':<5}  {'gunicorn CPU ms per request':>27}  {'/logged in by CPU':>17}"
        )
        for label, run in rows:
            to_leeg = self.ratio_to_logged_in(run)
            verdict = (
                ""
                if run not in self.sleutel or to_leeg is None
                else "OK"
                if to_leeg >= RATIO_TARGET
                else "UNDER"
            )
            cost = run.cpu.gunicorn_ms_per_request(run.total.requests) if run.cpu else None
            out.append(
                f"  {label:<{width}}  {run.total.rps:>7.1f}  {_fmt(run.total.p95):>6}"
                f"  {self.ratio(run):>8.2f}  {_fmt(to_leeg, 2):>10}  {verdict:<5}"
                f"  {_fmt(cost, 1):>27}  {_fmt(self.cpu_ratio_to_logged_in(run), 2):>17}"
            )
        return out + self._floor()

    def _floor(self) -> list[str]:
        """What the empty logged-in page reaches next to the minimal view: the share of a
        request that session, account, roles, middleware and base template take."""
        if self.leeg is None or not self.leeg.total.rps:
            return []
        return [
            f"  The empty logged-in page (the floor every page stands on) reaches"
            f" {self.ratio(self.leeg):.2f} of the minimal view. A key page meets the target at"
            f" {self.leeg.total.rps * float(RATIO_TARGET):.0f} req/s or more: at most"
            f" {float(1 / RATIO_TARGET):.0f} times the cost of that empty page."
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
                f" {_fmt(c.postgres, 2)}  worker {_fmt(c.worker, 2)}  locust {c.locust:.2f}"
                f"  other programs {c.other:.2f}  machine {c.machine:.2f}"
            )
        return out

    def _instances(self) -> list[str]:
        if not self.instances:
            return []
        out = ["Answers per gunicorn instance over all runs, from its own /metrics:"]
        for n, instance in enumerate(self.instances, start=1):
            classes = ", ".join(f"{k} {v}" for k, v in instance.responses.items())
            out.append(f"  {n}. {instance.url}: {instance.total} ({classes})")
        last = self.instances[-1]
        out += [
            f"Task queue at the end: {last.task_queue_depth} waiting, {last.task_failures}"
            " failed (regierol_task_queue_depth, regierol_task_failures)",
            "",
        ]
        return out

    def _verdicts(self) -> list[str]:
        requests = sum(run.total.requests for run in self.runs)
        out = [
            "Targets:",
            f"  no error: {'OK' if not self.failures else 'FAILED'}"
            f" ({self.failures} failed of {requests} requests)",
        ]
        if self.mix_denktijd is None:
            out.append("  p95 with think time: not measured (--alleen zonder-denktijd)")
        else:
            over = [
                r.label
                for r in self.mix_denktijd.pages
                if r.p95 is None or r.p95 >= r.p95_target_ms
            ]
            submits = [r for r in self.mix_denktijd.pages if r.is_submit]
            out.append(
                f"  p95 with {self.denktijd:g} s think time under {P95_TARGET_MS} ms on every"
                f" page, the submission under {SUBMIT_P95_TARGET_MS} ms: "
                + ("OK" if not over else "OVER on " + ", ".join(over))
                + ("" if submits else " (no submission in this run)")
            )
        if self.leeg is None:
            out.append("  key pages against the empty logged-in page: not measured")
        else:
            under = [
                _label(run)
                for run in self.sleutel
                if (self.ratio_to_logged_in(run) or 0.0) < RATIO_TARGET
            ]
            out.append(
                f"  each key page alone at least {RATIO_TARGET} of the empty logged-in page's"
                " throughput: " + ("OK" if not under else "UNDER for " + ", ".join(under))
            )
        return out

    def results_json(self, extra: dict[str, Any]) -> dict[str, Any]:
        """loadtest/results.json. Issue 17's keys first: `errors` (failed requests of all runs)
        and `pages`, one entry per page the users visit, named as in the tables ("<page>
        (<method>)"), with `p95_ms_think` and `p95_ms_no_think` (null where that scenario did
        not run or the page was not visited), `ratio_to_logged_in` (a key page's throughput
        alone against the empty logged-in page's, same run; null for other pages) and
        `is_submit`. Per page also p50 and requests in each mix and the key page's own run;
        then each run's totals and CPU, the targets and `extra` (settings, environment)."""
        names: dict[str, PageStats] = {}
        no_think = {r.label: r for r in (self.mix.pages if self.mix else [])}
        think = {r.label: r for r in (self.mix_denktijd.pages if self.mix_denktijd else [])}
        alone = {_label(run): run for run in self.sleutel}
        for r in [*no_think.values(), *think.values()]:
            names.setdefault(r.label, r)
        pages: dict[str, dict[str, Any]] = {}
        for label, r in names.items():
            zonder, met, run = no_think.get(label), think.get(label), alone.get(label)
            ratio = self.ratio_to_logged_in(run) if run else None
            pages[label] = {
                "p95_ms_think": met.p95 if met else None,
                "p95_ms_no_think": zonder.p95 if zonder else None,
                "ratio_to_logged_in": _round(ratio, 3),
                "is_submit": r.is_submit,
                "cpu_ratio_to_logged_in": _round(
                    self.cpu_ratio_to_logged_in(run) if run else None, 3
                ),
                "p50_ms_think": met.p50 if met else None,
                "p50_ms_no_think": zonder.p50 if zonder else None,
                "requests_think": met.requests if met else 0,
                "requests_no_think": zonder.requests if zonder else 0,
                "failures": (met.failures if met else 0) + (zonder.failures if zonder else 0),
                "p95_target_ms_think": r.p95_target_ms,
                "alone": _run_json(run, self) if run else None,
            }
        return {
            "errors": self.failures,
            "pages": pages,
            "runs": {run.titel: _run_json(run, self) for run in self.runs},
            "minimal_rps": self.minimaal.total.rps,
            "logged_in_rps": self.leeg.total.rps if self.leeg else None,
            "logged_in_to_minimal": _round(self.ratio(self.leeg), 3) if self.leeg else None,
            "targets": {
                "p95_ms_think": P95_TARGET_MS,
                "submit_p95_ms_think": SUBMIT_P95_TARGET_MS,
                "ratio_to_logged_in": float(RATIO_TARGET),
                "errors": 0,
            },
            "instances": [
                {"url": i.url, "responses": i.responses, "total": i.total} for i in self.instances
            ],
            "task_queue_depth_at_end": (
                self.instances[-1].task_queue_depth if self.instances else None
            ),
            "task_failures_at_end": self.instances[-1].task_failures if self.instances else None,
            "failure_lines": [
                f"[{run.titel}] {line}" for run in self.runs for line in run.failures
            ],
            **extra,
        }


def _run_json(run: Run, report: Report) -> dict[str, Any]:
    cpu = run.cpu
    return {
        "requests": run.total.requests,
        "failures": run.total.failures,
        "rps": run.total.rps,
        "p50_ms": run.total.p50,
        "p95_ms": run.total.p95,
        "p99_ms": run.total.p99,
        "ratio_to_minimal": _round(report.ratio(run), 3),
        "ratio_to_logged_in": _round(report.ratio_to_logged_in(run), 3),
        "cpu_ratio_to_logged_in": _round(report.cpu_ratio_to_logged_in(run), 3),
        "cpu_cores": asdict(cpu) if cpu else None,
        "gunicorn_cpu_ms_per_request": _round(
            cpu.gunicorn_ms_per_request(run.total.requests) if cpu else None, 2
        ),
    }


def _round(value: float | None, decimals: int) -> float | None:
    return None if value is None else round(value, decimals)


def _label(run: Run) -> str:
    return run.pages[0].label if run.pages else run.titel


def _fmt(value: float | None, decimals: int = 0) -> str:
    return "-" if value is None else f"{value:.{decimals}f}"
