"""Exports for WSE and beheerders: aanvragen, actions and coverage of a call, as CSV or XLSX.

A table is built once (`Tabel`: Dutch headers, typed values) and written in either format by the
portal's one export writer, `core.tabellen`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.aanvragen.models import Actie
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.models import User
from applications.core.tabellen import Tabel, Waarde
from applications.oproepen.models import Oproep
from applications.overzichten.selectors import ALLE, DekkingFilters, budget, dekking
from applications.uitvoering.cijfers import (
    REALISATIESTATUSSEN,
    geld_per_verband,
    realisaties,
    realisatiestatus_label,
)
from applications.uitvoering.selectors import boekingen_van_oproep


def _ja_nee(waar: bool) -> str:
    return _("ja") if waar else _("nee")


def _lokaal(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A moment in Brussels time without zone: what a spreadsheet shows as it is."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def aanvragen_tabel(oproep: Oproep, voor: User | None = None) -> Tabel:
    """One row per aanvraag (withdrawn ones included, with their status). For a viewer who is
    also a regisseur of a verband, that row leaves out WSE's review (lead and proposal)."""
    overzicht = budget(oproep, status=ALLE, voor=voor)
    jaren = oproep.jaren
    kolommen = [
        _("Referentie"),
        _("Regieverband"),
        _("Status"),
        _("Ingediend op"),
        _("Versie"),
        _("Dossierbehandelaar"),
        _("Aantal leden"),
        _("Leden (NIS-codes)"),
        _("Provincies"),
        _("Met centrumstad"),
        _("Inwoners"),
        _("Contactpersoon"),
        _("E-mail contactpersoon"),
        *(_("Gevraagd %(jaar)s (EUR)") % {"jaar": j} for j in jaren),
        _("Gevraagd totaal (EUR)"),
        *(_("Voorgesteld %(jaar)s (EUR)") % {"jaar": j} for j in jaren),
        *(_("Toegekend %(jaar)s (EUR)") % {"jaar": j} for j in jaren),
        _("Indicatief per jaar (EUR)"),
    ]
    rijen: list[list[Waarde]] = []
    for rij in overzicht.rijen:
        a, leden = rij.aanvraag, rij.leden
        rijen.append(
            [
                a.referentie,
                a.regieverband.naam,
                str(AanvraagStatus(a.status).label),
                _lokaal(a.ingediend_op),
                a.versie,
                str(a.behandelaar) if a.behandelaar and not rij.eigen else "",
                len(leden),
                ", ".join(b.nis_code for b in leden),
                ", ".join(sorted({b.get_provincie_display() for b in leden})),
                _ja_nee(rij.met_centrumstad),
                rij.inwoners,
                a.contact_naam,
                a.contact_email,
                *(rij.gevraagd.get(j) for j in jaren),
                rij.gevraagd_totaal,
                *((rij.voorgesteld or {}).get(j) for j in jaren),
                *((rij.toegekend or {}).get(j) for j in jaren),
                rij.indicatie.bedrag if rij.indicatie else None,
            ]
        )
    return Tabel(_("aanvragen"), kolommen, rijen)


def acties_tabel(oproep: Oproep) -> Tabel:
    """One row per action of every aanvraag of the call, with its priority code and year.

    The rows are read in chunks while the file is written (`Tabel.rijen` is a generator): an
    export of every action of Flanders starts at once and holds one chunk in memory.
    """
    acties = Actie.objects.filter(aanvraag__oproep=oproep)
    kolommen = [
        _("Referentie"),
        _("Regieverband"),
        _("Status aanvraag"),
        _("Prioriteit (code)"),
        _("Prioriteit"),
        _("Jaar"),
        _("Volgnummer"),
        _("Titel"),
        _("Beschrijving"),
        _("Doelgroep"),
        _("Verwacht resultaat"),
        _("Indicator"),
        _("Partners"),
        _("Budget (EUR)"),
    ]
    return Tabel(_("acties"), kolommen, _actie_rijen(oproep, acties), aantal=acties.count())


def _actie_rijen(oproep: Oproep, acties: QuerySet[Actie]) -> Iterator[list[Waarde]]:
    statussen = {s.value: str(s.label) for s in AanvraagStatus}
    rijen = (
        acties.select_related("aanvraag__regieverband", "prioriteit")
        .only(
            *(f.name for f in Actie._meta.concrete_fields),
            "aanvraag__status",
            "aanvraag__oproep_id",
            "aanvraag__regieverband__naam",
            "prioriteit__code",
            "prioriteit__titel",
        )
        .order_by("aanvraag__regieverband__naam", "prioriteit__volgorde", "jaar", "volgorde", "pk")
    )
    for actie in rijen.iterator(chunk_size=1000):
        aanvraag = actie.aanvraag
        aanvraag.oproep = oproep  # for the reference, without reading the call once per row
        yield [
            aanvraag.referentie,
            aanvraag.regieverband.naam,
            statussen[aanvraag.status],
            actie.prioriteit.code,
            actie.prioriteit.titel,
            actie.jaar,
            actie.volgorde,
            actie.titel,
            actie.beschrijving,
            actie.doelgroep,
            actie.verwacht_resultaat,
            actie.indicator,
            actie.partners,
            actie.budget,
        ]


def dekking_tabel(oproep: Oproep, filters: DekkingFilters | None = None) -> Tabel:
    """One row per gemeente of the call's territory, as the coverage page lists them."""
    overzicht = dekking(oproep, filters)
    kolommen = [
        _("NIS-code"),
        _("Gemeente"),
        _("Provincie"),
        _("Centrumstad"),
        _("Inwoners"),
        _("Gedekt"),
        _("Regieverband(en)"),
        _("Aanvraag (referentie)"),
        _("Status aanvraag"),
        _("Overlap"),
    ]
    rijen: list[list[Waarde]] = [
        [
            g.bestuur.nis_code,
            g.bestuur.naam,
            g.provincie,
            _ja_nee(g.bestuur.is_centrumstad),
            g.inwoners,
            _ja_nee(g.gedekt),
            ", ".join(a.regieverband.naam for a in g.aanvragen),
            ", ".join(a.referentie for a in g.aanvragen),
            ", ".join(str(AanvraagStatus(a.status).label) for a in g.aanvragen),
            _ja_nee(g.overlap),
        ]
        for g in overzicht.gemeenten
    ]
    return Tabel(_("dekking"), kolommen, rijen)


def betalingen_tabel(oproep: Oproep) -> Tabel:
    """For the finance department: one row per booking in the ledgers of the call (payments
    positive, corrections and repayments negative, so a column sum is what was paid)."""
    kolommen = [
        _("Referentie aanvraag"),
        _("Regieverband"),
        _("Trekker"),
        _("Jaar van de toekenning"),
        _("Soort"),
        _("Datum"),
        _("Bedrag (EUR)"),
        _("Referentie"),
        _("Betalingsschijf"),
        _("Toelichting"),
        _("Geboekt door"),
        _("Geboekt op"),
    ]
    boekingen = boekingen_van_oproep(oproep)
    for b in boekingen:
        b.aanvraag.oproep = oproep  # for the reference, without reading the call once per row
    rijen: list[list[Waarde]] = [
        [
            b.aanvraag.referentie,
            b.aanvraag.regieverband.naam,
            b.aanvraag.regieverband.trekker.naam if b.aanvraag.regieverband.trekker else "",
            b.jaar,
            b.get_soort_display(),
            b.datum,
            b.bedrag,
            b.referentie,
            b.schijf.naam if b.schijf else "",
            b.toelichting,
            str(b.geboekt_door),
            _lokaal(b.geboekt_op),
        ]
        for b in boekingen
    ]
    return Tabel(_("betalingen"), kolommen, rijen)


def realisaties_tabel(oproep: Oproep) -> Tabel:
    """For analysts: per year and beleidsprioriteit the actions of every granted aanvraag by
    how far they got (`uitvoering.cijfers.realisaties`), and a last row with the totals."""
    telling = realisaties(oproep)
    kolommen = [
        _("Jaar"),
        _("Prioriteit (code)"),
        _("Prioriteit"),
        *(realisatiestatus_label(s).capitalize() for s in REALISATIESTATUSSEN),
        _("Totaal acties"),
    ]
    rijen: list[list[Waarde]] = [
        [
            rij.jaar,
            rij.code,
            rij.titel,
            *(n for _s, n in rij.per_status),
            rij.totaal,
        ]
        for rij in telling.rijen
    ]
    rijen.append(
        [_("Totaal"), "", "", *(n for _s, n in telling.totaal.per_status), telling.totaal.totaal]
    )
    return Tabel(_("realisaties"), kolommen, rijen)


def uitvoering_tabel(oproep: Oproep) -> Tabel:
    """For the finance department: per verband granted now (after later decisions), paid,
    outstanding and to recover (`uitvoering.cijfers.geld_per_verband`), and a last row with the
    totals."""
    geld = geld_per_verband(oproep)
    kolommen = [
        _("Regieverband"),
        _("Referentie aanvraag"),
        _("Status aanvraag"),
        _("Nieuwe beslissing over de bedragen"),
        _("Toegekend nu (EUR)"),
        _("Betaald (EUR)"),
        _("Nog te betalen (EUR)"),
        _("Terug te vorderen (EUR)"),
    ]
    rijen: list[list[Waarde]] = [
        [
            r.aanvraag.regieverband.naam,
            r.aanvraag.referentie,
            str(AanvraagStatus(r.aanvraag.status).label),
            _ja_nee(r.herzien),
            r.toegekend,
            r.betaald,
            r.openstaand,
            r.terug_te_vorderen,
        ]
        for r in geld.rijen
    ]
    rijen.append(
        [
            _("Totaal"),
            "",
            "",
            "",
            geld.toegekend,
            geld.betaald,
            geld.openstaand,
            geld.terug_te_vorderen,
        ]
    )
    return Tabel(_("uitvoering"), kolommen, rijen)


SOORTEN = ("aanvragen", "acties", "dekking", "betalingen", "uitvoering", "realisaties")
