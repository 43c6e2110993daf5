"""Timing, memory and page counts of PDF renders."""

from __future__ import annotations

import io
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

from pypdf import PdfReader

Render = Callable[[], bytes]


@dataclass(frozen=True)
class Measurement:
    """Repeated renders of one document: the wall-clock seconds of each, and the last PDF."""

    name: str
    seconds: tuple[float, ...]
    pdf: bytes

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def fastest(self) -> float:
        return min(self.seconds)

    @property
    def pages(self) -> int:
        return page_count(self.pdf)

    @property
    def size(self) -> int:
        return len(self.pdf)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def time_renders(name: str, render: Render, repeat: int) -> Measurement:
    """`repeat` renders one after the other, each timed with `time.perf_counter`."""
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    seconds: list[float] = []
    pdf = b""
    for _ in range(repeat):
        start = time.perf_counter()
        pdf = render()
        seconds.append(time.perf_counter() - start)
    return Measurement(name=name, seconds=tuple(seconds), pdf=pdf)


def peak_python_memory(render: Render) -> int:
    """Peak bytes allocated by Python code during one render (tracemalloc).

    Memory that Pango, HarfBuzz and FreeType allocate in C is not traced, so this is a lower
    bound of what a render costs.
    """
    already_tracing = tracemalloc.is_tracing()
    if not already_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        render()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        if not already_tracing:
            tracemalloc.stop()
    return peak
