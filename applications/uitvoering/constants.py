"""The kinds of rows in the payments ledger, the moments of a tranche, and the texts' limits."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Boekingssoort(models.TextChoices):
    """What a row of the ledger is. The amount typed is always positive; the kind gives its sign:
    a payment adds to what was paid, a correction and a repayment take from it. Rows are never
    edited or deleted: a mistake is undone by a row of its own."""

    BETALING = "betaling", _("Betaling")
    CORRECTIE = "correctie", _("Correctie (negatief)")
    TERUGBETALING = "terugbetaling", _("Terugbetaling door het regieverband")


# Kinds that take money back: their amount is stored negative.
NEGATIEF = {Boekingssoort.CORRECTIE, Boekingssoort.TERUGBETALING}


class Schijfmoment(models.TextChoices):
    """When a tranche of a year's granted amount falls due (a setting of the call)."""

    BEGIN_JAAR = "begin_jaar", _("bij de start van het jaar")
    NA_OPVOLGMOMENT = "na_opvolgmoment", _("na aanvaarding van het opvolgmoment van het jaar")


# A payment's reference (the finance department's booking number) and a tranche's name are one
# line; why a row was booked or an amount must be paid back is a paragraph.
REFERENTIE_MAX = 100
SCHIJF_NAAM_MAX = 100
TOELICHTING_MAX = 1_000
# Why a beheerder reopens a closed dossier: a paragraph.
HEROPEN_REDEN_MAX = 1_000


class Opvolgstatus(models.TextChoices):
    """Where the opvolgmoment of one year stands. The allowed changes are `OPVOLG_OVERGANGEN`."""

    IN_OPMAAK = "in_opmaak", _("in opmaak")
    INGEDIEND = "ingediend", _("ingediend")
    MEER_GEVRAAGD = "meer_gevraagd", _("WSE vraagt meer")
    AANVAARD = "aanvaard", _("aanvaard")


# Who moves an opvolgmoment from which status to which: the regisseur submits (again), a
# reviewer accepts it or asks for more.
OPVOLG_OVERGANGEN: dict[tuple[str, str], str] = {
    (Opvolgstatus.IN_OPMAAK, Opvolgstatus.INGEDIEND): "regisseur",
    (Opvolgstatus.MEER_GEVRAAGD, Opvolgstatus.INGEDIEND): "regisseur",
    (Opvolgstatus.INGEDIEND, Opvolgstatus.AANVAARD): "beoordelaar",
    (Opvolgstatus.INGEDIEND, Opvolgstatus.MEER_GEVRAAGD): "beoordelaar",
}
# When the call asks no separate report (`Oproep.aparte_rapportering` off), the opvolgmoment is
# WSE's own check of the BBC data: a reviewer fills it in and accepts it in one step. A moment
# that regisseurs submitted before the setting changed is still judged by the table above.
OPVOLG_OVERGANGEN_WSE_CONTROLE: dict[tuple[str, str], str] = {
    (Opvolgstatus.IN_OPMAAK, Opvolgstatus.AANVAARD): "beoordelaar",
    (Opvolgstatus.MEER_GEVRAAGD, Opvolgstatus.AANVAARD): "beoordelaar",
}
# While these, the regisseur (or, for WSE's own check, the reviewer) may change what the
# opvolgmoment says.
OPVOLG_BEWERKBAAR = {Opvolgstatus.IN_OPMAAK, Opvolgstatus.MEER_GEVRAAGD}


class Realisatie(models.TextChoices):
    """How far one action of the meerjarenplan got in its year."""

    GEREALISEERD = "gerealiseerd", _("gerealiseerd")
    LOPEND = "lopend", _("lopend")
    UITGESTELD = "uitgesteld", _("uitgesteld")
    GESCHRAPT = "geschrapt", _("geschrapt")


# BBC tools allow about 100 characters for an action's name (DOMAIN.md); the explanation of one
# action's realisation is a paragraph; what WSE asks more, a paragraph too.
BBC_ACTIE_MAX = 100
REALISATIE_TOELICHTING_MAX = 1_000
MEER_GEVRAAGD_MAX = 2_000


class Opvolgherinneringsmoment(models.TextChoices):
    """When the regisseurs are reminded of an opvolgmoment not submitted yet."""

    VOOR = "voor", _("14 dagen voor de termijn")
    TE_LAAT = "te_laat", _("de dag na de termijn")


# How long before the due date the first reminder goes out.
OPVOLG_HERINNERING_DAGEN = 14


class Opvolgstaat(models.TextChoices):
    """Where one year's opvolgmoment of a granted aanvraag stands, as WSE's overview of a call
    shows it (derived from the due date, today and the status; never stored)."""

    NIET_AAN_DE_BEURT = "niet_aan_de_beurt", _("nog niet aan de beurt")
    OPEN = "open", _("open")
    INGEDIEND = "ingediend", _("ingediend")
    TE_LAAT = "te_laat", _("te laat")
    AANVAARD = "aanvaard", _("aanvaard")


# WSE's overview of the follow-up of a call: as many aanvragen a page as the review queue.
OPVOLGOVERZICHT_PER_PAGINA = 50


class Wijzigingsstatus(models.TextChoices):
    """Where a proposed change to the meerjarenplan stands. The allowed changes are
    `WIJZIGING_OVERGANGEN`."""

    CONCEPT = "concept", _("concept")
    INGEDIEND = "ingediend", _("ingediend")
    GOEDGEKEURD = "goedgekeurd", _("goedgekeurd")
    GEWEIGERD = "geweigerd", _("geweigerd")
    INGETROKKEN = "ingetrokken", _("ingetrokken")


# Who moves a proposed change from which status to which: the verband's regisseurs submit it
# (or withdraw it while WSE has not decided), a reviewer approves or refuses it.
WIJZIGING_OVERGANGEN: dict[tuple[str, str], str] = {
    (Wijzigingsstatus.CONCEPT, Wijzigingsstatus.INGEDIEND): "regisseur",
    (Wijzigingsstatus.CONCEPT, Wijzigingsstatus.INGETROKKEN): "regisseur",
    (Wijzigingsstatus.INGEDIEND, Wijzigingsstatus.INGETROKKEN): "regisseur",
    (Wijzigingsstatus.INGEDIEND, Wijzigingsstatus.GOEDGEKEURD): "beoordelaar",
    (Wijzigingsstatus.INGEDIEND, Wijzigingsstatus.GEWEIGERD): "beoordelaar",
}
# An aanvraag has at most one proposal in these at a time (a database rule).
WIJZIGING_OPEN = (Wijzigingsstatus.CONCEPT, Wijzigingsstatus.INGEDIEND)


class Actiewijzigingssoort(models.TextChoices):
    """What a proposal does to one action of the meerjarenplan."""

    NIEUW = "nieuw", _("toegevoegd")
    GEWIJZIGD = "gewijzigd", _("gewijzigd")
    GESCHRAPT = "geschrapt", _("geschrapt")


class Ledenwijzigingssoort(models.TextChoices):
    """What a proposal does to the verband's members: a bestuur joins from a day, or a member
    leaves from a day (its membership ends the day before)."""

    TOETREDING = "toetreding", _("treedt toe")
    UITTREDING = "uittreding", _("treedt uit")


# Why the regisseurs propose the change, and why WSE refuses it: a few paragraphs each.
WIJZIGING_MOTIVATIE_MAX = 4_000
WIJZIGING_REDEN_MAX = 2_000
