"""The processes of a load test: one or more gunicorn instances serving the portal, the task
worker (django-q2's qcluster) as a process of its own, and locust driving them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Gunicorn:
    """gunicorn on 127.0.0.1:<free port>, its output in a log file."""

    def __init__(
        self,
        *,
        env: Mapping[str, str],
        log: Path,
        workers: int,
        worker_class: str,
        threads: int,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "regierol.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--error-logfile",
            "-",
        ]
        if worker_class == "gthread":
            command += ["--threads", str(threads)]
        self._log_handle = log.open("wb")
        self.process = subprocess.Popen(
            command, env=dict(env), stdout=self._log_handle, stderr=subprocess.STDOUT
        )

    def wait_until_healthy(self, timeout: float = 60.0) -> None:
        """Poll /healthz until it answers 200; raise if gunicorn exits or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with status {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:g} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_handle.close()

    def metrics(self, token: str) -> InstanceMetrics:
        """What this instance's /metrics says: its answers per status class (all its workers
        together, prometheus-client's multi-process mode) and the task queue."""
        from prometheus_client.parser import text_string_to_metric_families

        request = urllib.request.Request(
            f"{self.url}/metrics", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
        per_class: dict[str, float] = {}
        gauges: dict[str, float] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == "regierol_http_responses_total":
                    klasse = sample.labels["status_class"]
                    per_class[klasse] = per_class.get(klasse, 0.0) + sample.value
                elif sample.name in ("regierol_task_queue_depth", "regierol_task_failures"):
                    gauges[sample.name] = sample.value
        return InstanceMetrics(
            url=self.url,
            responses={k: int(v) for k, v in sorted(per_class.items())},
            task_queue_depth=int(gauges.get("regierol_task_queue_depth", 0)),
            task_failures=int(gauges.get("regierol_task_failures", 0)),
        )

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(text[-lines:])


class Worker:
    """The task worker, `manage.py qcluster`, as in production: a process of its own beside the
    web servers, on the same database (its queue is a table there)."""

    def __init__(self, *, env: Mapping[str, str], log: Path, workers: int = 1) -> None:
        self.log = log
        self._log_handle = log.open("wb")
        manage = Path(__file__).resolve().parent.parent / "manage.py"
        self.process = subprocess.Popen(
            [sys.executable, str(manage), "qcluster"],
            env={**env, "REGIEROL_WORKERS": str(workers)},
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        """SIGTERM lets the cluster finish the task under way and stop its processes."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_handle.close()


@dataclass(frozen=True)
class LocustRun:
    """One headless locust run; its statistics land in `<csv_prefix>_stats.csv`."""

    naam: str
    user_classes: Sequence[str]
    users: int
    spawn_rate: float
    seconds: int
    env: Mapping[str, str]

    def run(
        self,
        *,
        hosts: Sequence[str],
        gunicorn_pids: Sequence[int],
        worker_pid: int | None,
        workdir: Path,
    ) -> LocustResult:
        """Ramp up, reset the statistics, measure `seconds`. With several hosts each user sends
        its requests to them in turn (loadtest.locustfile.Adressen)."""
        prefix = workdir / self.naam
        log = workdir / f"{self.naam}.log"
        cpu = workdir / f"{self.naam}-cpu.json"
        env = {
            **os.environ,
            **self.env,
            "LOADTEST_HOSTS": ",".join(hosts),
            "LOADTEST_GUNICORN_PIDS": ",".join(str(pid) for pid in gunicorn_pids),
            "LOADTEST_WORKER_PID": str(worker_pid or ""),
            "LOADTEST_CPU": str(cpu),
        }
        ramp = int(self.users / self.spawn_rate + 0.999) + 1
        command = [
            sys.executable,
            "-m",
            "locust",
            "--locustfile",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            hosts[0],
            "--users",
            str(self.users),
            "--spawn-rate",
            f"{self.spawn_rate:g}",
            "--run-time",
            f"{self.seconds + ramp}s",
            "--reset-stats",
            # Requests under way at the end finish and count: slow ones are not dropped.
            "--stop-timeout",
            "120",
            "--only-summary",
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
            *self.user_classes,
        ]
        with log.open("wb") as handle:
            completed = subprocess.run(
                command,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                cwd=Path(__file__).resolve().parent.parent,
                check=False,
            )
        return LocustResult(prefix, log, cpu, completed.returncode)


@dataclass(frozen=True)
class InstanceMetrics:
    """One instance's /metrics at the end of the runs."""

    url: str
    responses: dict[str, int]  # per status class: "2xx", "3xx", "4xx", "5xx"
    task_queue_depth: int
    task_failures: int

    @property
    def total(self) -> int:
        return sum(self.responses.values())


@dataclass(frozen=True)
class LocustResult:
    prefix: Path  # of the CSV files: <prefix>_stats.csv, <prefix>_failures.csv
    log: Path
    cpu: Path  # the JSON of loadtest.cpu.CpuUse
    exit_status: int
