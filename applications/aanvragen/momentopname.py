"""The snapshot of a submission: everything sent, as plain data, in one canonical form, and its
SHA-256. It is the legal proof of what was submitted; the sealed PDF is printed from it later.

The canonical form (`canonieke_json`) is what the hash is taken over, so anyone can recompute it
from the stored `Indiening.inhoud`:

- UTF-8 JSON, object keys sorted, separators `,` and `:` (no spaces, no newline), non-ASCII
  characters written as themselves (not as `\\u` escapes);
- only strings, integers, booleans, null, lists and objects: amounts (decimals) are strings as
  `str(Decimal)` writes them (`"1000.50"`), moments are ISO 8601 strings in UTC
  (`"2030-01-15T22:59:59.123456+00:00"`), dates `"YYYY-MM-DD"`; a float is refused, because two
  programs may write the same float in two ways.

Python: `json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
allow_nan=False).encode("utf-8")`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.utils import translation

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.selectors import leden_van_aanvraag
from applications.accounts.models import User

# The layout of `aanvraag_inhoud`. Submissions made before the snapshot held everything the PDF
# prints have no "formaat" (their PDF was made at submission and is kept as it is).
FORMAAT = 2


def canonieke_json(data: Any) -> bytes:
    """`data` in the canonical form above. Raises `TypeError` for a float or any other value
    that has no single JSON spelling."""
    _controleer(data)
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def inhoud_sha256(data: Any) -> str:
    """The SHA-256 (hex, lower case) of `data` in canonical form: the snapshot's fingerprint."""
    return hashlib.sha256(canonieke_json(data)).hexdigest()


def _controleer(data: Any) -> None:
    if data is None or isinstance(data, (str, bool, int)):
        return
    if isinstance(data, list):
        for item in data:
            _controleer(item)
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(key, str):
                raise TypeError(f"Only text keys in a snapshot, not {key!r}.")
            _controleer(value)
        return
    raise TypeError(
        f"{type(data).__name__} has no canonical JSON form: write amounts and moments as text."
    )


def moment(value: datetime.datetime) -> str:
    """A moment as the snapshot writes it: ISO 8601 in UTC."""
    return value.astimezone(datetime.UTC).isoformat()


def aanvraag_inhoud(aanvraag: Aanvraag) -> dict[str, Any]:
    """Everything the aanvraag holds now and the PDF prints, as plain data: call, priorities,
    verband and members on the call's peildatum, contact, texts, actions and attachments. Labels
    (legal form, province) are written in Dutch, as the PDF prints them.

    `leden` stays the list of NIS codes it always was (versions are compared on it); the members'
    names and provinces are in `leden_gegevens`.
    """
    aanvraag = (
        Aanvraag.objects.select_related("regieverband__trekker", "oproep")
        .prefetch_related("oproep__prioriteiten")
        .get(pk=aanvraag.pk)
    )
    oproep = aanvraag.oproep
    verband = aanvraag.regieverband
    leden = leden_van_aanvraag(aanvraag)
    with translation.override("nl-be"):
        return {
            "formaat": FORMAAT,
            "aanvraag": {"id": aanvraag.pk, "referentie": aanvraag.referentie},
            "oproep": {
                "slug": oproep.slug,
                "naam": oproep.naam,
                "eerste_jaar": oproep.eerste_jaar,
                "laatste_jaar": oproep.laatste_jaar,
                "peildatum": oproep.peildatum.isoformat(),
            },
            "prioriteiten": [{"code": p.code, "titel": p.titel} for p in oproep.prioriteiten.all()],
            "regieverband": {
                "naam": verband.naam,
                "rechtsvorm": str(verband.get_rechtsvorm_display()) if verband.rechtsvorm else "",
                "trekker": (
                    {"naam": verband.trekker.naam, "nis_code": verband.trekker.nis_code}
                    if verband.trekker
                    else None
                ),
            },
            "contact": {
                "naam": aanvraag.contact_naam,
                "functie": aanvraag.contact_functie,
                "email": aanvraag.contact_email,
                "telefoon": aanvraag.contact_telefoon,
            },
            "omgevingsanalyse": aanvraag.omgevingsanalyse,
            "visie": aanvraag.visie,
            "leden": [b.nis_code for b in leden],
            "leden_gegevens": [
                {
                    "nis_code": b.nis_code,
                    "naam": b.naam,
                    "centrumstad": b.is_centrumstad,
                    "provincie": str(b.get_provincie_display()),
                }
                for b in leden
            ],
            "acties": [
                {
                    "id": a.pk,
                    "prioriteit": a.prioriteit.code,
                    "jaar": a.jaar,
                    "titel": a.titel,
                    "beschrijving": a.beschrijving,
                    "doelgroep": a.doelgroep,
                    "verwacht_resultaat": a.verwacht_resultaat,
                    "indicator": a.indicator,
                    "partners": a.partners,
                    "budget": str(a.budget),
                }
                # Within a priority and year, in the order the regisseurs put them.
                for a in aanvraag.acties.select_related("prioriteit").order_by(
                    "prioriteit__volgorde", "prioriteit__code", "jaar", "volgorde", "pk"
                )
            ],
            "bijlagen": [
                {
                    "soort": b.bijlagetype.naam,
                    "lid": b.bestuur.naam if b.bestuur else "",
                    "naam": b.naam,
                    "grootte": b.grootte,
                    "sha256": b.sha256,
                }
                for b in aanvraag.bijlagen.select_related("bijlagetype", "bestuur")
            ],
        }


def indiening_gegevens(
    *, versie: int, ingediend_op: datetime.datetime, by: User | None, mandaat: str
) -> dict[str, Any]:
    """What the snapshot says about the submission itself: which version, when, by whom, and the
    mandate the regisseur confirmed. Part of what the hash covers."""
    return {
        "versie": versie,
        "ingediend_op": moment(ingediend_op),
        "ingediend_door": (
            {"naam": by.get_full_name(), "email": by.email} if by is not None else None
        ),
        "mandaat": mandaat,
    }
