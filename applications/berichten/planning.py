"""The outbox's schedule: every minute the worker sends what is due (retries above all)."""

from __future__ import annotations

from typing import Any

from applications.core import taken


def plan_wachtrij(**kwargs: Any) -> None:
    taken.elke_paar_minuten(
        "berichten: wachtende e-mails versturen",
        "applications.berichten.services.wachtende_versturen",
        minuten=1,
    )
