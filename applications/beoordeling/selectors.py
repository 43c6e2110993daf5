"""Reads of the review: the queue with its filters, status counts, the dossier and timeline of
one aanvraag, and what was granted in a call."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.encoding import force_str
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.aanvragen.models import (
    Aanvraag,
    Bijlage,
    Indiening,
    Statuswijziging,
    Verlenging,
)
from applications.aanvragen.oproepleden import leden_van_oproep
from applications.aanvragen.selectors import AanvraagMetLeden, verlengingen_prefetch
from applications.aanvragen.statuses import CLOSED_STATUSES, SUBMITTED_STATUSES, AanvraagStatus
from applications.aanvragen.verzoeken import Verzoek
from applications.accounts.models import User
from applications.beoordeling.models import (
    Bekeken,
    Beoordeling,
    Beslissing,
    Beslissingsvoorstel,
    Notitie,
    Voorstelstatus,
    Vraag,
)
from applications.besturen.models import Lidmaatschap, LokaalBestuur, Regieverband
from applications.oproepen.models import Oproep


def toegekend_in_oproep(oproep: Oproep, *, behalve: Aanvraag | None = None) -> dict[int, Decimal]:
    """What the call has granted so far, per year, over all approved aanvragen."""
    totals = {jaar: Decimal(0) for jaar in oproep.jaren}
    beslissingen = Beslissing.objects.filter(
        aanvraag__oproep=oproep, uitkomst=AanvraagStatus.GOEDGEKEURD
    )
    if behalve is not None:
        beslissingen = beslissingen.exclude(aanvraag=behalve)
    for beslissing in beslissingen:
        for jaar, bedrag in beslissing.bedragen_per_jaar.items():
            totals[jaar] = totals.get(jaar, Decimal(0)) + bedrag
    return totals


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
    gewijzigd: str = ""  # "ja": only what changed since I last looked


@dataclass(frozen=True)
class Nieuw:
    """What changed in an aanvraag since a WSE user last opened its review page (`sinds`; None
    when they never did): answers to WSE's questions, versions submitted again, attachments."""

    sinds: datetime.datetime | None
    antwoorden: int
    versies: int
    bijlagen: int
    # The user last looked at the draft (WSE opens a concept to grant an extension): what is new
    # is the first submission, not a resubmission.
    eerste_indiening: bool = False

    @property
    def iets(self) -> bool:
        return bool(self.antwoorden or self.versies or self.bijlagen)

    def __str__(self) -> str:
        """As the queue says it: "1 antwoord, opnieuw ingediend, 2 bijlagen"."""
        delen = []
        if self.antwoorden:
            delen.append(
                ngettext("%(n)s antwoord", "%(n)s antwoorden", self.antwoorden)
                % {"n": self.antwoorden}
            )
        if self.versies:
            delen.append(_("ingediend") if self.eerste_indiening else _("opnieuw ingediend"))
        if self.bijlagen:
            delen.append(
                ngettext("%(n)s bijlage", "%(n)s bijlagen", self.bijlagen) % {"n": self.bijlagen}
            )
        return ", ".join(delen)


def _tel(qs: QuerySet[Any]) -> Coalesce:
    """The number of rows of `qs` (filtered on OuterRef("pk")), as a subquery, 0 for none."""
    aantal = qs.order_by().values("aanvraag").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(aantal, output_field=IntegerField()), 0)


def bezoek_van(user: User) -> Subquery:
    """When `user` last looked at the aanvraag of the outer query (`Bekeken`), as a subquery."""
    return Subquery(
        Bekeken.objects.filter(aanvraag=OuterRef("pk"), gebruiker=user).values("op")[:1]
    )


def met_nieuw(qs: QuerySet[Any], user: User) -> QuerySet[Any]:
    """The aanvragen with what changed since `user` last looked, in the same query."""
    return _met_nieuw_sinds(qs, bezoek_van(user))


def _met_nieuw_sinds(qs: QuerySet[Any], bekeken_op: Any) -> QuerySet[Any]:
    """The aanvragen with what changed since `bekeken_op` (an expression: the user's visit)."""
    qs = qs.annotate(bekeken_op=bekeken_op)
    return qs.annotate(
        nieuwe_antwoorden=_tel(
            Vraag.objects.filter(aanvraag=OuterRef("pk"), beantwoord_op__gt=OuterRef("bekeken_op"))
        ),
        nieuwe_versies=_tel(
            Indiening.objects.filter(
                aanvraag=OuterRef("pk"), ingediend_op__gt=OuterRef("bekeken_op")
            )
        ),
        nieuwe_bijlagen=_tel(
            Bijlage.objects.filter(aanvraag=OuterRef("pk"), opgeladen_op__gt=OuterRef("bekeken_op"))
        ),
        versie_gezien=Exists(
            Indiening.objects.filter(
                aanvraag=OuterRef("pk"), ingediend_op__lte=OuterRef("bekeken_op")
            )
        ),
    )


def _nieuw(aanvraag: Any) -> Nieuw:
    return Nieuw(
        aanvraag.bekeken_op,
        aanvraag.nieuwe_antwoorden,
        aanvraag.nieuwe_versies,
        aanvraag.nieuwe_bijlagen,
        eerste_indiening=bool(aanvraag.nieuwe_versies) and not aanvraag.versie_gezien,
    )


_GEWIJZIGD = Q(nieuwe_antwoorden__gt=0) | Q(nieuwe_versies__gt=0) | Q(nieuwe_bijlagen__gt=0)


def nieuw_sinds_bezoek(aanvraag: Aanvraag, user: User) -> Nieuw:
    """What changed in this aanvraag since the user last opened its review page (one query)."""
    return _nieuw(met_nieuw(Aanvraag.objects.filter(pk=aanvraag.pk), user).get())


def nieuw_sinds(aanvraag_id: int, sinds: datetime.datetime) -> Nieuw:
    """What changed in this aanvraag since a visit at `sinds`, as read by the caller (one
    query; the visit itself is not read again, so the answer belongs to that visit)."""
    qs = Aanvraag.objects.filter(pk=aanvraag_id).only("pk")
    return _nieuw(_met_nieuw_sinds(qs, Value(sinds, output_field=DateTimeField())).get())


@dataclass(frozen=True)
class NieuwOpReviewpagina:
    """What the review page says first, and where each item leads: the first question answered
    since the previous visit (the page marks every answer that is new), and the versions to
    compare (the one last seen and the newest) after a resubmission."""

    nieuw: Nieuw
    beantwoord: frozenset[int]  # the questions answered since, by pk
    eerste_vraag: Vraag | None
    vergelijk: tuple[int, int] | None


def nieuw_op_reviewpagina(
    nieuw: Nieuw, *, vragen: list[Vraag], indieningen: list[Indiening]
) -> NieuwOpReviewpagina:
    """What changed since the user's previous visit (`nieuw`: the queue's counts, see
    `nieuw_sinds`), as the review page links it: the questions and versions they point at come
    from the lists the page read already (`dossier`), so this adds no query."""
    sinds = nieuw.sinds
    if sinds is None:
        return NieuwOpReviewpagina(nieuw, frozenset(), None, None)
    beantwoord = [v for v in vragen if v.beantwoord_op is not None and v.beantwoord_op > sinds]
    gezien = max((i.nummer for i in indieningen if i.ingediend_op <= sinds), default=None)
    nieuwste = max((i.nummer for i in indieningen), default=None)
    return NieuwOpReviewpagina(
        nieuw,
        frozenset(v.pk for v in beantwoord),
        beantwoord[0] if beantwoord else None,
        (gezien, nieuwste)
        if gezien is not None and nieuwste is not None and nieuwste > gezien
        else None,
    )


_TIJDPERK = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def bezoeken(user: User) -> str:
    """The state of the user's visits to review pages (one small query): what "new since your
    visit" says anywhere changes only with it or with the aanvragen themselves. The sum of all
    their times, to the microsecond, and their number: the newest alone would miss a visit
    written late with an older time (two pages opened at once)."""
    stand = Bekeken.objects.filter(gebruiker=user).aggregate(
        som=Sum(
            ExpressionWrapper(
                F("op") - Value(_TIJDPERK, output_field=DateTimeField()),
                output_field=DurationField(),
            )
        ),
        aantal=Count("pk"),
    )
    return f"{stand['som']}:{stand['aantal']}"


def gewijzigd_sinds_bekeken(oproep: Oproep, user: User) -> int:
    """How many submitted aanvragen of the call changed since the user last looked at them."""
    return (
        met_nieuw(Aanvraag.objects.filter(oproep=oproep, status__in=SUBMITTED_STATUSES), user)
        .filter(_GEWIJZIGD)
        .count()
    )


@dataclass(frozen=True)
class QueueRij:
    """One aanvraag in WSE's queue: its members on the call's peildatum, their provinces
    (translated names), whether a centrumstad is among them, and the days since its current
    status began (calendar days in Brussels: the number changes at midnight, for everyone at
    once)."""

    aanvraag: Aanvraag
    leden: list[LokaalBestuur]
    provincies: list[str]
    met_centrumstad: bool
    dagen_wachtend: int
    # Members that are also in another verband with an aanvraag in this call, with those verbanden.
    overlap: list[tuple[LokaalBestuur, list[Regieverband]]]
    nieuw: Nieuw  # since the user of the queue last opened the aanvraag

    @property
    def leden_tekst(self) -> str:
        """The members as the queue lists them, "Naam (NIS-code), ...": one string, not a
        template loop per member."""
        return ", ".join(f"{b.naam_in_lijst} ({b.nis_code})" for b in self.leden)

    @property
    def nooit_bekeken(self) -> bool:
        """The user of the queue never opened it and it is still open: nothing is "new" to
        someone who never looked, but that they never looked is worth saying."""
        return self.nieuw.sinds is None and self.aanvraag.status not in CLOSED_STATUSES


@dataclass(frozen=True)
class QueuePagina:
    """One page of WSE's queue: its rows and the page (number, count of all that match)."""

    rijen: list[QueueRij]
    pagina: Page[Any]


QUEUE_PER_PAGINA = 50


def review_queue(
    oproep: Oproep,
    filters: QueueFilters,
    *,
    now: datetime.datetime,
    user: User,
    pagina: str | int = 1,
    per_pagina: int = QUEUE_PER_PAGINA,
) -> QueuePagina:
    """One page of the aanvragen of a call for WSE, filtered and sorted, in a fixed number of
    queries however many (the count, the page with what is new, the reference version); the
    members and overlaps of the whole call are kept per reference version (`leden_van_oproep`)
    and read again only when it changed."""
    qs: QuerySet[Any] = (
        Aanvraag.objects.filter(oproep=oproep)
        .select_related("regieverband", "behandelaar", "oproep")
        .annotate(
            sinds=Coalesce(Max("statuswijzigingen__op"), "aangemaakt_op"),
            # A proposed decision waits for a second reviewer (vier-ogenprincipe).
            voorstel_open=Exists(
                Beslissingsvoorstel.objects.filter(
                    aanvraag=OuterRef("pk"), status=Voorstelstatus.OPEN
                )
            ),
            # Submitted and sealed, but a version's PDF is still being made.
            pdf_wordt_verzegeld=Exists(
                Indiening.objects.filter(aanvraag=OuterRef("pk"), pdf_sha256="")
            ),
        )
    )
    qs = met_nieuw(qs, user)
    if filters.gewijzigd == "ja":
        qs = qs.filter(_GEWIJZIGD)
    if filters.status:
        qs = qs.filter(status=filters.status)
    else:
        qs = qs.filter(status__in=SUBMITTED_STATUSES)
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
    # What `get_provincie_display()` gives, translated once per page rather than per member
    # (that method rebuilds and hashes the field's lazy choices on every call).
    provincie_namen = {
        value: force_str(label, strings_only=True)
        for value, label in LokaalBestuur._meta.get_field("provincie").flatchoices
    }
    page = Paginator(qs, per_pagina).get_page(pagina)
    # Members and overlaps of the whole call, kept per version of the reference data.
    stand = leden_van_oproep(oproep)
    met_leden = [AanvraagMetLeden(a, stand.leden(a.regieverband_id)) for a in page.object_list]
    # When each aanvraag's current status began (the annotation), read with the rows themselves.
    sinds = {rij.aanvraag.pk: rij.aanvraag.sinds for rij in met_leden}  # type: ignore[attr-defined]
    overlap = stand.overlaps
    rijen = [
        QueueRij(
            aanvraag=rij.aanvraag,
            leden=rij.leden,
            provincies=sorted({provincie_namen.get(b.provincie, b.provincie) for b in rij.leden}),
            met_centrumstad=any(b.is_centrumstad for b in rij.leden),
            dagen_wachtend=(localdate(now) - localdate(sinds[rij.aanvraag.pk])).days,
            overlap=[
                (b, overlap[b.pk].andere(rij.aanvraag.regieverband))
                for b in rij.leden
                if b.pk in overlap
            ],
            nieuw=_nieuw(rij.aanvraag),
        )
        for rij in met_leden
    ]
    return QueuePagina(rijen, page)


def status_counts(oproep: Oproep) -> dict[str, int]:
    """The number of aanvragen of a call per status, every status listed (one query)."""
    counts = dict(
        Aanvraag.objects.filter(oproep=oproep)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status.value: counts.get(status.value, 0) for status in AanvraagStatus}


@dataclass(frozen=True)
class Gebeurtenis:
    """One line of an aanvraag's timeline. `intern` lines are for WSE's eyes only."""

    op: datetime.datetime
    soort: str
    titel: str
    tekst: str = ""
    door: User | None = None
    intern: bool = False
    # A download that belongs to the line (a sealed version's PDF), with its link text.
    url: str = ""
    link: str = ""


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
    beslissingsvoorstellen: list[Beslissingsvoorstel]

    @property
    def open_voorstel(self) -> Beslissingsvoorstel | None:
        """The proposed decision waiting for a second reviewer, if any (vier-ogenprincipe)."""
        return next(
            (v for v in self.beslissingsvoorstellen if v.status == Voorstelstatus.OPEN), None
        )


def dossier(aanvraag: Aanvraag, *, voor_wse: bool) -> Dossier:
    """One query per relation (the reviews' scores one more, for WSE, when there are reviews).

    The extensions come from the aanvraag's prefetched list when it has one (see
    `verlengingen_prefetch`), so the deadline rule and the timeline share it.
    """
    if "verlengingen" not in getattr(aanvraag, "_prefetched_objects_cache", {}):
        prefetch_related_objects([aanvraag], verlengingen_prefetch())
    return Dossier(
        statuswijzigingen=list(aanvraag.statuswijzigingen.select_related("door")),
        # Without the snapshot of what was sent (some 80 kB of JSON per version at 60 actions,
        # parsed on every read): the dossier lists versions, it never compares them.
        indieningen=list(aanvraag.indieningen.select_related("ingediend_door").defer("inhoud")),
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
        beslissingsvoorstellen=list(
            aanvraag.beslissingsvoorstellen.select_related("door", "behandeld_door")
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
        wijziging = i.wijzigingsnummer
        items.append(
            Gebeurtenis(
                i.ingediend_op,
                "versie",
                _("Versie %(nummer)s ingediend en verzegeld") % {"nummer": i.nummer}
                if wijziging is None
                else _(
                    "Versie %(nummer)s verzegeld: wijziging %(wijziging)s van het plan goedgekeurd"
                )
                % {"nummer": i.nummer, "wijziging": wijziging},
                _("SHA-256 van de ingediende gegevens %(gegevens)s; van de PDF %(pdf)s")
                % {"gegevens": i.inhoud_sha256, "pdf": i.pdf_sha256 or _("(wordt nog gemaakt)")},
                i.ingediend_door,
                url=reverse("aanvraag_pdf_versie", args=[aanvraag.pk, i.nummer])
                if i.pdf_klaar
                else "",
                link=_("PDF van versie %(nummer)s") % {"nummer": i.nummer},
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
        items.extend(_voorstel_gebeurtenissen(bron.beslissingsvoorstellen))
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


def open_vragen(aanvraag_ids: list[int]) -> list[Verzoek]:
    """WSE's questions to these aanvragen that nobody answered yet (a source of
    `aanvragen.verzoeken`, registered in `apps.BeoordelingConfig.ready`)."""
    return [
        Verzoek(
            aanvraag_id=vraag.aanvraag_id,
            soort=str(_("Vraag van WSE")),
            tekst=vraag.tekst,
            sinds=vraag.gesteld_op,
            tot=None,
            url=reverse("aanvraag_opvolging", args=[vraag.aanvraag_id]),
        )
        for vraag in Vraag.objects.filter(aanvraag_id__in=aanvraag_ids, antwoord="").order_by(
            "gesteld_op", "pk"
        )
    ]


def _voorstel_gebeurtenissen(voorstellen: list[Beslissingsvoorstel]) -> list[Gebeurtenis]:
    """Each step of the vier-ogenprincipe: proposed, then confirmed or sent back (WSE only)."""
    items = []
    for v in voorstellen:
        bedrag = (
            _(" (EUR %(totaal)s)")
            % {"totaal": formats.number_format(v.totaal, 2, force_grouping=True)}
            if v.bedragen
            else ""
        )
        items.append(
            Gebeurtenis(
                v.op,
                "voorstel",
                _("Beslissing voorgesteld: %(uitkomst)s") % {"uitkomst": v.get_uitkomst_display()}
                + bedrag,
                v.motivatie,
                v.door,
                True,
            )
        )
        if v.behandeld_op and v.status == Voorstelstatus.BEVESTIGD:
            items.append(
                Gebeurtenis(
                    v.behandeld_op,
                    "voorstel",
                    _("Voorstel bevestigd door een tweede beoordelaar"),
                    "",
                    v.behandeld_door,
                    True,
                )
            )
        elif v.behandeld_op:
            if v.status == Voorstelstatus.VERVALLEN:
                titel = _("Voorstel vervallen")
            elif v.behandeld_door_id == v.door_id:
                titel = _("Voorstel ingetrokken")
            else:
                titel = _("Voorstel teruggestuurd")
            items.append(
                Gebeurtenis(
                    v.behandeld_op,
                    "voorstel",
                    titel,
                    v.reden,
                    v.behandeld_door,
                    True,
                )
            )
    return items


def mijn_open_dossiers(oproep: Oproep, user: User) -> int:
    """How many aanvragen of the call this reviewer leads that are not decided or withdrawn."""
    return (
        Aanvraag.objects.filter(oproep=oproep, behandelaar=user)
        .exclude(status__in=CLOSED_STATUSES)
        .count()
    )
