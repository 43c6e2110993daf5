"""How much CPU gunicorn, PostgreSQL, the task worker, locust and the whole machine used during
a measurement.

Read from Linux's /proc by the locust process itself, when the ramp-up ends (the moment locust
resets its statistics) and when the run stops, so the CPU and the requests cover the same
seconds. Plain Python: the locust process imports it without Django.
"""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Collection
from dataclasses import asdict, dataclass
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after its closing one.
    return raw[raw.rindex(")") + 2 :].split()


def tree_cpu_seconds(roots: Collection[int]) -> float:
    """CPU seconds of some processes and all their descendants, live (gunicorn's workers,
    PostgreSQL's backends, the task worker's processes under its sentinel) and reaped."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields is None:
            continue
        parents[int(entry.name)] = int(fields[1])
        # utime, stime, cutime, cstime: fields 14-17 of proc(5), 12-15 after the name.
        ticks[int(entry.name)] = sum(int(x) for x in fields[11:15])
    total = 0
    for pid in ticks:
        ancestor: int | None = pid
        while ancestor and ancestor not in roots:
            ancestor = parents.get(ancestor)
        if ancestor:
            total += ticks[pid]
    return total / CLK_TCK


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent outside idle and iowait, over all cores."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / CLK_TCK


def postgres_pid() -> int | None:
    """The postmaster of scripts/with-postgres.sh's cluster (PGHOST is its directory)."""
    pidfile = Path(os.environ.get("PGHOST", "/nonexistent")) / "data" / "postmaster.pid"
    try:
        return int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


@dataclass(frozen=True)
class Stand:
    """Cumulative CPU seconds at one moment."""

    wall: float
    gunicorn: float
    postgres: float | None
    worker: float | None
    locust: float
    machine: float

    @classmethod
    def nu(cls, gunicorn_pids: Collection[int], postgres: int | None, worker: int | None) -> Stand:
        own = resource.getrusage(resource.RUSAGE_SELF)
        return cls(
            wall=time.monotonic(),
            gunicorn=tree_cpu_seconds(gunicorn_pids),
            postgres=tree_cpu_seconds([postgres]) if postgres else None,
            worker=tree_cpu_seconds([worker]) if worker else None,
            locust=own.ru_utime + own.ru_stime,
            machine=machine_busy_seconds(),
        )


@dataclass(frozen=True)
class CpuUse:
    """Cores used on average (CPU seconds per second) over `seconds` of measurement."""

    seconds: float
    gunicorn: float  # all gunicorn instances together
    postgres: float | None
    worker: float | None  # the task worker (qcluster), a process of its own
    locust: float
    machine: float

    @classmethod
    def tussen(cls, begin: Stand, einde: Stand) -> CpuUse:
        wall = max(einde.wall - begin.wall, 1e-9)
        postgres = (
            (einde.postgres - begin.postgres) / wall
            if einde.postgres is not None and begin.postgres is not None
            else None
        )
        worker = (
            (einde.worker - begin.worker) / wall
            if einde.worker is not None and begin.worker is not None
            else None
        )
        return cls(
            seconds=wall,
            gunicorn=(einde.gunicorn - begin.gunicorn) / wall,
            postgres=postgres,
            worker=worker,
            locust=(einde.locust - begin.locust) / wall,
            machine=(einde.machine - begin.machine) / wall,
        )

    @property
    def other(self) -> float:
        """What the rest of the machine (other programs) used meanwhile."""
        return max(
            0.0,
            self.machine
            - self.gunicorn
            - (self.postgres or 0.0)
            - (self.worker or 0.0)
            - self.locust,
        )

    def gunicorn_ms_per_request(self, requests: int) -> float | None:
        return self.gunicorn * self.seconds * 1000 / requests if requests else None

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> CpuUse | None:
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None
