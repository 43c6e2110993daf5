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


def time_interleaved(renders: dict[str, Render], repeat: int) -> list[Measurement]:
    """`repeat` rounds in which each document is rendered once, in turn: a slower moment of a
    shared machine weighs on every document alike, so their ratio holds better than their
    absolute times."""
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    seconds: dict[str, list[float]] = {name: [] for name in renders}
    pdfs: dict[str, bytes] = {}
    for _ in range(repeat):
        for name, render in renders.items():
            start = time.perf_counter()
            pdfs[name] = render()
            seconds[name].append(time.perf_counter() - start)
    return [Measurement(name=n, seconds=tuple(seconds[n]), pdf=pdfs[n]) for n in renders]


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
