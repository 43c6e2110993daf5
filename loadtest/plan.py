"""What the data builder hands to the locust users: sessions and aanvragen, as a JSON file.

Plain data without Django, so the locust process (gevent) never imports the portal.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class RegisseurPlan:
    """One regisseur's logged-in session and the aanvraag of the open call they work on."""

    sessie: str
    aanvraag: int
    bewerken: bool  # a draft to edit (and maybe submit); otherwise submitted: follow-up only


@dataclass
class Plan:
    """The session cookie's name, the open call, the regisseurs and reviewers' sessions, and
    the aanvragen of the open call that were submitted before the run."""

    cookie: str
    oproep: str
    regisseurs: list[RegisseurPlan] = field(default_factory=list)
    beoordelaars: list[str] = field(default_factory=list)
    ingediend: list[int] = field(default_factory=list)

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> Plan:
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["regisseurs"] = [RegisseurPlan(**r) for r in raw["regisseurs"]]
        return cls(**raw)
