"""Reads: the querysets that pages use, with the joins that keep their query counts constant."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .constants import AanvraagStatus, OproepStatus
from .models import (
    Aanvraag,
    Actie,
    Beleidsprioriteit,
    Beoordeling,
    Beslissing,
    Indiening,
    Lidmaatschap,
    LokaalBestuur,
    Notitie,
    Oproep,
    Regieverband,
    Statuswijziging,
    User,
    Verlenging,
    Vraag,
)
from .permissions import is_wse


def regieverband_list_for_user(*, user: User) -> QuerySet[Regieverband]:
    """The verbanden a user may see: all for WSE, their own for a regisseur, none otherwise."""
    qs = Regieverband.objects.select_related("trekker").annotate(
        aantal_leden=Count("lidmaatschappen", filter=Q(lidmaatschappen__tot__isnull=True))
    )
    if is_wse(user):
        return qs
    if user.is_regisseur:
        return qs.filter(regisseurs=user)
    return qs.none()


def aanvraag_list_for_user(*, user: User) -> QuerySet[Aanvraag]:
    """The aanvragen a user may see, with verband and call joined."""
    qs = Aanvraag.objects.select_related("regieverband", "oproep")
    if is_wse(user):
        return qs
    if user.is_regisseur:
        return qs.filter(regieverband__regisseurs=user)
    return qs.none()


def open_oproepen() -> QuerySet[Oproep]:
    return Oproep.objects.filter(status=OproepStatus.OPEN).order_by("deadline")


def leden_op(regieverband: Regieverband, dag: datetime.date) -> list[LokaalBestuur]:
    """The besturen that are members of a verband on a given day, by name."""
    lidmaatschappen = (
        Lidmaatschap.objects.filter(regieverband=regieverband)
        .actief_op(dag)
        .select_related("bestuur")
        .order_by("bestuur__naam")
    )
    return [lid.bestuur for lid in lidmaatschappen]


def regieverband_detail(*, pk: int) -> Regieverband:
    return (
        Regieverband.objects.select_related("trekker")
        .prefetch_related(
            Prefetch(
                "lidmaatschappen",
                queryset=Lidmaatschap.objects.select_related("bestuur").order_by("bestuur__naam"),
            )
        )
        .get(pk=pk)
    )


@dataclass
class Cel:
    """One cell of the meerjarenplan matrix: the actions of one priority in one year."""

    prioriteit: Beleidsprioriteit
    jaar: int
    acties: list[Actie]
    minimum: int

    @property
    def is_empty(self) -> bool:
        return len(self.acties) < self.minimum

    @property
    def total(self) -> Decimal:
        return sum((a.budget for a in self.acties), Decimal(0))


@dataclass
class Meerjarenplan:
    """The structured plan of an aanvraag: the call's priorities (rows) by its years (columns).

    Derived from the actions on every read, so it can never disagree with them.
    """

    jaren: list[int]
    rows: list[tuple[Beleidsprioriteit, list[Cel]]]

    @property
    def aantal_acties(self) -> int:
        return sum(len(c.acties) for _p, cells in self.rows for c in cells)

    @property
    def lege_cellen(self) -> int:
        return sum(c.is_empty for _p, cells in self.rows for c in cells)


def meerjarenplan(aanvraag: Aanvraag) -> Meerjarenplan:
    """Two queries whatever the number of actions: the priorities and the actions."""
    oproep = aanvraag.oproep
    prioriteiten = list(oproep.prioriteiten.all())
    by_cell: dict[tuple[int, int], list[Actie]] = {}
    for actie in aanvraag.acties.order_by("volgorde", "pk"):
        by_cell.setdefault((actie.prioriteit_id, actie.jaar), []).append(actie)
    minimum = oproep.min_acties_per_prioriteit_per_jaar
    rows = [
        (
            p,
            [Cel(p, jaar, by_cell.get((p.pk, jaar), []), minimum) for jaar in oproep.jaren],
        )
        for p in prioriteiten
    ]
    return Meerjarenplan(jaren=oproep.jaren, rows=rows)


def indiening_by_sha256(sha256: str) -> Indiening | None:
    """The sealed version whose PDF has exactly this SHA-256, if any."""
    return (
        Indiening.objects.select_related(
            "aanvraag__regieverband", "aanvraag__oproep", "ingediend_door"
        )
        .filter(pdf_sha256=sha256)
        .first()
    )


# --- Review queue ---------------------------------------------------------------------------------

QUEUE_SORTS = {
    "verband": ("regieverband__naam",),
    "-verband": ("-regieverband__naam",),
    "ingediend": ("ingediend_op", "regieverband__naam"),
    "-ingediend": ("-ingediend_op", "regieverband__naam"),
    "wachtend": ("sinds", "regieverband__naam"),
    "-wachtend": ("-sinds", "regieverband__naam"),
    "status": ("status", "regieverband__naam"),
}


@dataclass
class QueueFilters:
    status: str = ""
    behandelaar: str = ""  # a user id, "geen" (nobody yet) or ""
    provincie: str = ""
    centrumstad: str = ""  # "ja", "nee" or ""
    zoek: str = ""
    sort: str = "ingediend"


def met_leden_op_peildatum(qs: QuerySet[Aanvraag], oproep: Oproep) -> list[Aanvraag]:
    """The aanvragen of `qs`, each carrying `leden`: its verband's members on the call's
    peildatum, sorted by name (one query more, however many aanvragen)."""
    leden = Lidmaatschap.objects.actief_op(oproep.peildatum).select_related("bestuur")
    rows: list[Aanvraag] = list(
        qs.prefetch_related(
            Prefetch("regieverband__lidmaatschappen", queryset=leden, to_attr="leden_op_peildatum")
        )
    )
    for aanvraag in rows:
        lidmaatschappen = aanvraag.regieverband.leden_op_peildatum  # type: ignore[attr-defined]
        aanvraag.leden = sorted(  # type: ignore[attr-defined]
            (lid.bestuur for lid in lidmaatschappen), key=lambda b: b.naam
        )
    return rows


def review_queue(
    oproep: Oproep, filters: QueueFilters, *, now: datetime.datetime
) -> list[Aanvraag]:
    """The aanvragen of a call for WSE, filtered and sorted, in four queries however many.

    Each row carries `leden` (members on the call's peildatum), `provincies`, `met_centrumstad`
    and `dagen_wachtend` (days since its current status began).
    """
    qs = (
        Aanvraag.objects.filter(oproep=oproep)
        .select_related("regieverband", "behandelaar", "oproep")
        .annotate(sinds=Coalesce(Max("statuswijzigingen__op"), "aangemaakt_op"))
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    else:
        qs = qs.exclude(status=AanvraagStatus.CONCEPT)
    if filters.behandelaar == "geen":
        qs = qs.filter(behandelaar__isnull=True)
    elif filters.behandelaar.isdigit():
        qs = qs.filter(behandelaar_id=int(filters.behandelaar))
    member = Lidmaatschap.objects.actief_op(oproep.peildatum).filter(
        regieverband=OuterRef("regieverband")
    )
    if filters.provincie:
        qs = qs.filter(Exists(member.filter(bestuur__provincie=filters.provincie)))
    if filters.centrumstad in ("ja", "nee"):
        met = Exists(member.filter(bestuur__is_centrumstad=True))
        qs = qs.filter(met) if filters.centrumstad == "ja" else qs.exclude(met)
    zoek = filters.zoek.strip()
    if zoek:
        qs = qs.filter(
            Q(regieverband__naam__icontains=zoek)
            | Exists(member.filter(Q(bestuur__naam__icontains=zoek) | Q(bestuur__nis_code=zoek)))
        )
    qs = qs.order_by(*QUEUE_SORTS.get(filters.sort, QUEUE_SORTS["ingediend"]))
    rows = met_leden_op_peildatum(qs, oproep)
    # What `get_provincie_display()` gives, translated once per page rather than per member
    # (that method rebuilds and hashes the field's lazy choices on every call).
    provincie_namen = {
        value: force_str(label, strings_only=True)
        for value, label in LokaalBestuur._meta.get_field("provincie").flatchoices
    }
    for aanvraag in rows:
        besturen = aanvraag.leden  # type: ignore[attr-defined]
        aanvraag.provincies = sorted(  # type: ignore[attr-defined]
            {provincie_namen.get(b.provincie, b.provincie) for b in besturen}
        )
        aanvraag.met_centrumstad = any(b.is_centrumstad for b in besturen)  # type: ignore[attr-defined]
        aanvraag.dagen_wachtend = (now - aanvraag.sinds).days  # type: ignore[attr-defined]
    return rows


def status_counts(oproep: Oproep) -> dict[str, int]:
    """The number of aanvragen of a call per status, every status listed (one query)."""
    counts = dict(
        Aanvraag.objects.filter(oproep=oproep)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status.value: counts.get(status.value, 0) for status in AanvraagStatus}


# --- Timeline -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gebeurtenis:
    """One line of an aanvraag's timeline. `intern` lines are for WSE's eyes only."""

    op: datetime.datetime
    soort: str
    titel: str
    tekst: str = ""
    door: User | None = None
    intern: bool = False


def verlengingen_prefetch() -> Prefetch:
    """The extensions with who granted them: the deadline rule and the timeline both read this
    one list (`services.effective_deadline` uses a prefetched list when there is one)."""
    return Prefetch("verlengingen", queryset=Verlenging.objects.select_related("toegekend_door"))


@dataclass(frozen=True)
class Dossier:
    """What happened to an aanvraag, each relation read once, so a page that shows these lists
    and its timeline does not query them twice. Notes and reviews only for WSE (`voor_wse`)."""

    statuswijzigingen: list[Statuswijziging]
    indieningen: list[Indiening]
    vragen: list[Vraag]
    verlengingen: list[Verlenging]
    beslissing: Beslissing | None
    notities: list[Notitie]
    beoordelingen: list[Beoordeling]


def dossier(aanvraag: Aanvraag, *, voor_wse: bool) -> Dossier:
    """One query per relation (the reviews' scores one more, for WSE, when there are reviews).

    The extensions come from the aanvraag's prefetched list when it has one (see
    `verlengingen_prefetch`), so the deadline rule and the timeline share it.
    """
    if "verlengingen" not in getattr(aanvraag, "_prefetched_objects_cache", {}):
        prefetch_related_objects([aanvraag], verlengingen_prefetch())
    return Dossier(
        statuswijzigingen=list(aanvraag.statuswijzigingen.select_related("door")),
        indieningen=list(aanvraag.indieningen.select_related("ingediend_door")),
        vragen=list(aanvraag.vragen.select_related("gesteld_door", "beantwoord_door")),
        verlengingen=list(aanvraag.verlengingen.all()),
        beslissing=Beslissing.objects.filter(aanvraag=aanvraag).select_related("door").first(),
        notities=list(aanvraag.notities.select_related("door")) if voor_wse else [],
        beoordelingen=list(
            aanvraag.beoordelingen.select_related("beoordelaar").prefetch_related(
                "scores__prioriteit"
            )
        )
        if voor_wse
        else [],
    )


def timeline(
    aanvraag: Aanvraag, *, voor_wse: bool, bron: Dossier | None = None
) -> list[Gebeurtenis]:
    """Status changes, versions, questions and answers, extensions and the decision, by time.

    Internal notes and reviews are only in WSE's timeline (`voor_wse`); a regisseur's never
    holds them, whatever the template does (nor whatever `bron`, a `dossier` the caller already
    read, holds).
    """
    bron = bron or dossier(aanvraag, voor_wse=voor_wse)
    items: list[Gebeurtenis] = []
    for w in bron.statuswijzigingen:
        items.append(
            Gebeurtenis(
                w.op,
                "status",
                _("Status: %(van)s → %(naar)s")
                % {"van": w.get_van_display(), "naar": w.get_naar_display()},
                w.reden,
                w.door,
            )
        )
    for i in bron.indieningen:
        items.append(
            Gebeurtenis(
                i.ingediend_op,
                "versie",
                _("Versie %(nummer)s ingediend en verzegeld") % {"nummer": i.nummer},
                f"SHA-256 {i.pdf_sha256}",
                i.ingediend_door,
            )
        )
    for v in bron.vragen:
        items.append(
            Gebeurtenis(v.gesteld_op, "vraag", _("Vraag van WSE"), v.tekst, v.gesteld_door)
        )
        if v.beantwoord_op:
            items.append(
                Gebeurtenis(
                    v.beantwoord_op, "antwoord", _("Antwoord"), v.antwoord, v.beantwoord_door
                )
            )
    for u in bron.verlengingen:
        items.append(
            Gebeurtenis(
                u.toegekend_op,
                "uitstel",
                _("Uitstel tot en met %(tot)s")
                % {"tot": formats.date_format(timezone.localtime(u.tot), "j F Y H:i:s")},
                u.reden,
                u.toegekend_door,
            )
        )
    beslissing = bron.beslissing
    if beslissing:
        items.append(
            Gebeurtenis(
                beslissing.op,
                "beslissing",
                _("Beslissing: %(uitkomst)s") % {"uitkomst": beslissing.get_uitkomst_display()},
                beslissing.motivatie,
                beslissing.door,
            )
        )
    if voor_wse:
        for n in bron.notities:
            items.append(Gebeurtenis(n.op, "notitie", _("Interne notitie"), n.tekst, n.door, True))
        # Only that a review was saved: its content is for the lead's side-by-side table, so
        # reviewers judge independently.
        for b in bron.beoordelingen:
            items.append(
                Gebeurtenis(
                    b.gewijzigd_op, "beoordeling", _("Beoordeling bewaard"), "", b.beoordelaar, True
                )
            )
    return sorted(items, key=lambda g: g.op)


# --- What changed between two submitted versions --------------------------------------------------


@dataclass(frozen=True)
class Wijziging:
    veld: str
    oud: str
    nieuw: str


@dataclass
class ActieVerschil:
    titel: str
    plaats: str  # priority code and year
    soort: str  # "nieuw", "verwijderd" or "gewijzigd"
    wijzigingen: list[Wijziging]


@dataclass
class VersieVerschil:
    oud: Indiening
    nieuw: Indiening
    velden: list[Wijziging]
    acties: list[ActieVerschil]
    bijlagen_nieuw: list[str]
    bijlagen_weg: list[str]

    @property
    def is_leeg(self) -> bool:
        return not (self.velden or self.acties or self.bijlagen_nieuw or self.bijlagen_weg)


VELD_LABELS = {
    "contact.naam": gettext_lazy("Contactpersoon"),
    "contact.functie": gettext_lazy("Functie contactpersoon"),
    "contact.email": gettext_lazy("E-mailadres contactpersoon"),
    "contact.telefoon": gettext_lazy("Telefoon contactpersoon"),
    "omgevingsanalyse": gettext_lazy("Omgevingsanalyse"),
    "visie": gettext_lazy("Visie en beleidsplanning"),
    "leden": gettext_lazy("Leden (NIS-codes)"),
}
ACTIE_LABELS = {
    "prioriteit": gettext_lazy("Beleidsprioriteit"),
    "jaar": gettext_lazy("Jaar"),
    "titel": gettext_lazy("Titel"),
    "beschrijving": gettext_lazy("Beschrijving"),
    "doelgroep": gettext_lazy("Doelgroep"),
    "verwacht_resultaat": gettext_lazy("Verwacht resultaat"),
    "indicator": gettext_lazy("Indicator"),
    "partners": gettext_lazy("Partners"),
    "budget": gettext_lazy("Budget (EUR)"),
}


def _flat(inhoud: dict[str, Any]) -> dict[str, str]:
    contact = inhoud.get("contact", {})
    return {
        **{f"contact.{k}": str(v) for k, v in contact.items()},
        "omgevingsanalyse": inhoud.get("omgevingsanalyse", ""),
        "visie": inhoud.get("visie", ""),
        "leden": ", ".join(inhoud.get("leden", [])),
    }


def _actie_text(key: str, value: object) -> str:
    if key == "budget":
        return formats.number_format(Decimal(str(value)), 2, force_grouping=True)
    return str(value)


def versie_verschil(oud: Indiening, nieuw: Indiening) -> VersieVerschil:
    """Field by field and action by action: what the regisseurs changed between two versions.

    Read from the content sealed with each version, so it shows what was submitted, not what
    the aanvraag holds now. Actions are matched by their identity, so a renamed action is a
    change, not a removal plus an addition.
    """
    a, b = _flat(oud.inhoud), _flat(nieuw.inhoud)
    velden = [
        Wijziging(str(VELD_LABELS.get(k, k)), a.get(k, ""), b.get(k, ""))
        for k in VELD_LABELS
        if a.get(k, "") != b.get(k, "")
    ]
    oude = {x["id"]: x for x in oud.inhoud.get("acties", [])}
    nieuwe = {x["id"]: x for x in nieuw.inhoud.get("acties", [])}
    acties: list[ActieVerschil] = []
    for pk, x in nieuwe.items():
        plaats = f"{x['prioriteit']} {x['jaar']}"
        if pk not in oude:
            acties.append(ActieVerschil(x["titel"], plaats, "nieuw", []))
            continue
        y = oude[pk]
        changes = [
            Wijziging(str(label), _actie_text(k, y.get(k, "")), _actie_text(k, x.get(k, "")))
            for k, label in ACTIE_LABELS.items()
            if str(y.get(k, "")) != str(x.get(k, ""))
        ]
        if changes:
            acties.append(ActieVerschil(x["titel"], plaats, "gewijzigd", changes))
    for pk, y in oude.items():
        if pk not in nieuwe:
            acties.append(
                ActieVerschil(y["titel"], f"{y['prioriteit']} {y['jaar']}", "verwijderd", [])
            )
    oude_bijlagen = {x["sha256"]: x["naam"] for x in oud.inhoud.get("bijlagen", [])}
    nieuwe_bijlagen = {x["sha256"]: x["naam"] for x in nieuw.inhoud.get("bijlagen", [])}
    return VersieVerschil(
        oud=oud,
        nieuw=nieuw,
        velden=velden,
        acties=sorted(acties, key=lambda d: (d.plaats, d.titel)),
        bijlagen_nieuw=[n for h, n in nieuwe_bijlagen.items() if h not in oude_bijlagen],
        bijlagen_weg=[n for h, n in oude_bijlagen.items() if h not in nieuwe_bijlagen],
    )
