"""The final bundle of a closed dossier: one ZIP with every sealed PDF of the aanvraag, the
decision letter, the attachments of the opvolgmomenten, the opvolgmomenten and the ledger as
CSV, and a manifest with the SHA-256 of every file (`manifest.json`, and `SHA256SUMS` that
`sha256sum -c SHA256SUMS` checks).

A sealed file is read through `read_sealed`, which checks it against the hash taken when it
was sealed. One deleted after its archive period is not in the ZIP: the manifest names it with
its SHA-256 and the date it was deleted.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from applications.aanvragen.models import Aanvraag, Indiening
from applications.aanvragen.submission import indiening_filename, read_sealed
from applications.beoordeling.models import Beslissing
from applications.core.tabellen import Tabel, as_csv
from applications.uitvoering.models import Actierapport, Opvolgbijlage
from applications.uitvoering.selectors import grootboek

MANIFEST = "manifest.json"
SHA256SUMS = "SHA256SUMS"


@dataclass
class Bundel:
    """The files of the ZIP in their order, and what the manifest says of files not in it."""

    naam: str
    bestanden: list[tuple[str, bytes, str]] = field(default_factory=list)  # name, bytes, what
    ontbrekend: list[dict[str, Any]] = field(default_factory=list)
    # The sealed versions and the letter whose bytes are in it (for the audit of a download).
    indieningen: list[Indiening] = field(default_factory=list)

    def zip(self) -> bytes:
        """The ZIP: every file, then `manifest.json` and `SHA256SUMS` over them."""
        manifest = {
            "dossier": self.naam,
            "gemaakt_op": timezone.now().isoformat(),
            "bestanden": [
                {
                    "naam": naam,
                    "wat": wat,
                    "grootte": len(inhoud),
                    "sha256": hashlib.sha256(inhoud).hexdigest(),
                }
                for naam, inhoud, wat in self.bestanden
            ],
            "niet_in_de_zip": self.ontbrekend,
        }
        sums = "".join(
            f"{hashlib.sha256(inhoud).hexdigest()}  {naam}\n"
            for naam, inhoud, _wat in self.bestanden
        )
        archief = io.BytesIO()
        with zipfile.ZipFile(archief, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for naam, inhoud, _wat in self.bestanden:
                zf.writestr(naam, inhoud)
            zf.writestr(
                MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            )
            zf.writestr(SHA256SUMS, sums.encode("utf-8"))
        return archief.getvalue()


def _door(user: Any) -> str:
    return str(user) if user is not None else ""


def opvolgmomenten_tabel(aanvraag: Aanvraag) -> Tabel:
    """One row per action of each opvolgmoment, with the moment's status and who did what."""
    rapporten = (
        Actierapport.objects.filter(opvolgmoment__aanvraag=aanvraag)
        .select_related(
            "opvolgmoment__ingediend_door",
            "opvolgmoment__beoordeeld_door",
            "actie__prioriteit",
        )
        .order_by("opvolgmoment__jaar", "actie__prioriteit__volgorde", "actie__volgorde", "pk")
    )
    return Tabel(
        "opvolgmomenten",
        [
            "Jaar",
            "Status",
            "Ingediend op",
            "Ingediend door",
            "Beoordeeld op",
            "Beoordeeld door",
            "Prioriteit",
            "Actie",
            "Realisatie",
            "Actie in het BBC-meerjarenplan",
            "Rapporteringscode toegepast",
            "Toelichting",
        ],
        [
            [
                r.opvolgmoment.jaar,
                r.opvolgmoment.get_status_display(),
                _moment(r.opvolgmoment.ingediend_op),
                _door(r.opvolgmoment.ingediend_door),
                _moment(r.opvolgmoment.beoordeeld_op),
                _door(r.opvolgmoment.beoordeeld_door),
                r.actie.prioriteit.code,
                r.actie.titel,
                r.get_realisatie_display(),
                r.bbc_actie,
                "ja" if r.code_toegepast else "nee",
                r.toelichting,
            ]
            for r in rapporten
        ],
    )


def _moment(waarde: Any) -> Any:
    return timezone.localtime(waarde).replace(tzinfo=None) if waarde is not None else None


def grootboek_tabellen(aanvraag: Aanvraag) -> tuple[Tabel, Tabel]:
    """The ledger: every row (payments positive, corrections and repayments negative), and per
    year what is granted and paid."""
    boek = grootboek(aanvraag)
    boekingen = Tabel(
        "grootboek",
        [
            "Datum",
            "Jaar",
            "Soort",
            "Bedrag (EUR)",
            "Referentie",
            "Toelichting",
            "Betalingsschijf",
            "Geboekt door",
            "Geboekt op",
        ],
        [
            [
                b.datum,
                b.jaar,
                b.get_soort_display(),
                b.bedrag,
                b.referentie,
                b.toelichting,
                b.schijf.naam if b.schijf else "",
                _door(b.geboekt_door),
                _moment(b.geboekt_op),
            ]
            for b in boek.boekingen
        ],
    )
    jaren = Tabel(
        "bedragen_per_jaar",
        ["Jaar", "Toegekend (EUR)", "Betaald (EUR)", "Nog te betalen (EUR)", "Terug te vorderen"],
        [[j.jaar, j.toegekend, j.betaald, j.openstaand, j.terug_te_vorderen] for j in boek.jaren],
    )
    return boekingen, jaren


def _niet_meer(naam: str, wat: str, sha256: str, verwijderd_op: Any) -> dict[str, Any]:
    return {
        "naam": naam,
        "wat": wat,
        "sha256": sha256,
        "verwijderd_op": verwijderd_op.isoformat() if verwijderd_op else None,
        "reden": "verwijderd na de archieftermijn" if verwijderd_op else "PDF wordt verzegeld",
    }


def dossierbundel(aanvraag: Aanvraag) -> Bundel:
    """Every file of the closed dossier, read and checked now."""
    bundel = Bundel(naam=aanvraag.referentie)
    for indiening in aanvraag.indieningen.select_related(
        "aanvraag__oproep", "aanvraag__regieverband"
    ):
        naam = f"aanvraag/{indiening_filename(indiening)}"
        wat = f"verzegelde PDF van versie {indiening.nummer}"
        if indiening.pdf_beschikbaar:
            bundel.bestanden.append((naam, read_sealed(indiening.pdf, indiening.pdf_sha256), wat))
            bundel.indieningen.append(indiening)
        else:
            bundel.ontbrekend.append(
                _niet_meer(naam, wat, indiening.pdf_sha256, indiening.pdf_verwijderd_op)
            )
    beslissing = Beslissing.objects.filter(aanvraag=aanvraag).first()
    if beslissing is not None:
        naam = f"beslissing/beslissing-{aanvraag.oproep.slug}-{aanvraag.pk}.pdf"
        if beslissing.brief_verwijderd:
            bundel.ontbrekend.append(
                _niet_meer(
                    naam,
                    "beslissingsbrief",
                    beslissing.brief_sha256,
                    beslissing.brief_verwijderd_op,
                )
            )
        else:
            bundel.bestanden.append(
                (naam, read_sealed(beslissing.brief, beslissing.brief_sha256), "beslissingsbrief")
            )
    for bijlage in Opvolgbijlage.objects.filter(opvolgmoment__aanvraag=aanvraag).select_related(
        "opvolgmoment", "bijlagetype"
    ):
        bundel.bestanden.append(
            (
                f"opvolging/{bijlage.opvolgmoment.jaar}/{bijlage.pk}-{bijlage.naam}",
                read_sealed(bijlage.bestand, bijlage.sha256),
                f"bijlage bij het opvolgmoment {bijlage.opvolgmoment.jaar}: "
                f"{bijlage.bijlagetype.naam}",
            )
        )
    bundel.bestanden.append(
        ("opvolgmomenten.csv", as_csv(opvolgmomenten_tabel(aanvraag)), "opvolgmomenten")
    )
    boekingen, jaren = grootboek_tabellen(aanvraag)
    bundel.bestanden.append(("grootboek.csv", as_csv(boekingen), "grootboek: elke boeking"))
    bundel.bestanden.append(
        ("bedragen_per_jaar.csv", as_csv(jaren), "grootboek: toegekend en betaald per jaar")
    )
    return bundel
