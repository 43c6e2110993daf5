"""Fixed vocabularies of the domain: roles, statuses and the allowed status changes.

What differs per call (minimum actions, minimum population, required attachments, subsidy formula)
is not here: those are settings of the `Oproep`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rol(models.TextChoices):
    """The three roles, each a Django group of this name."""

    REGISSEUR = "Regisseur", _("Regisseur")
    BEOORDELAAR = "WSE-beoordelaar", _("WSE-beoordelaar")
    BEHEERDER = "Beheerder", _("Beheerder")


class Provincie(models.TextChoices):
    """The five Flemish provinces, keyed by their REFNIS code."""

    ANTWERPEN = "10000", _("Antwerpen")
    VLAAMS_BRABANT = "20001", _("Vlaams-Brabant")
    WEST_VLAANDEREN = "30000", _("West-Vlaanderen")
    OOST_VLAANDEREN = "40000", _("Oost-Vlaanderen")
    LIMBURG = "70000", _("Limburg")


FLEMISH_REGION_CODE = "02000"

# The 13 centrumsteden, by their NIS code valid since 1 January 2025 (Hasselt: 71072).
CENTRUMSTEDEN_NIS = frozenset(
    {
        "11002",  # Antwerpen
        "44021",  # Gent
        "41002",  # Aalst
        "31005",  # Brugge
        "71016",  # Genk
        "71072",  # Hasselt
        "34022",  # Kortrijk
        "24062",  # Leuven
        "12025",  # Mechelen
        "35013",  # Oostende
        "36015",  # Roeselare
        "46021",  # Sint-Niklaas
        "13040",  # Turnhout
    }
)


# Centrumsteden under a NIS code of before a merger (DOMAIN.md: Hasselt 71022 -> 71072), so that a
# bestuur recreated from a merger file for an earlier call is a centrumstad there too.
VOORMALIGE_CENTRUMSTEDEN_NIS = frozenset({"71022"})


class Rechtsvorm(models.TextChoices):
    CENTRUMSTAD = "centrumstad", _("Centrumstad alleen")
    WELZIJNSVERENIGING = "welzijnsvereniging", _("Welzijnsvereniging")
    INTERLOKALE_VERENIGING = "interlokale", _("Interlokale vereniging")
    PROJECTVERENIGING = "projectvereniging", _("Projectvereniging")
    DIENSTVERLENENDE_VERENIGING = "dienstverlenend", _("Dienstverlenende vereniging")
    OPDRACHTHOUDENDE_VERENIGING = "opdrachthoudend", _("Opdrachthoudende vereniging")


class OproepStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    OPEN = "open", _("Open")
    GESLOTEN = "gesloten", _("Gesloten")


class Subsidieformule(models.TextChoices):
    """How the indicative amount of an aanvraag is computed; unknown formulas compute nothing."""

    ONBEKEND = "onbekend", _("Onbekend (geen indicatief bedrag)")
    BEVOLKINGSSCHIJVEN_2020 = "bevolkingsschijven-2020", _("Bevolkingsschijven (oproep 2020-2025)")


class AanvraagStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    INGEDIEND = "ingediend", _("Ingediend")
    IN_BEHANDELING = "in_behandeling", _("In behandeling")
    WIJZIGINGEN_GEVRAAGD = "wijzigingen_gevraagd", _("Wijzigingen gevraagd")
    GOEDGEKEURD = "goedgekeurd", _("Goedgekeurd")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")


class Advies(models.TextChoices):
    """A reviewer's overall advice on an aanvraag."""

    GOEDKEUREN = "goedkeuren", _("Goedkeuren")
    ONDER_VOORWAARDEN = "onder_voorwaarden", _("Goedkeuren onder voorwaarden")
    AFWIJZEN = "afwijzen", _("Afwijzen")


class Herinneringsmoment(models.TextChoices):
    """When the regisseurs of a draft are reminded of the deadline, each at most once."""

    VEERTIEN_DAGEN = "14d", _("14 dagen voor de uiterste indiening")
    TWEE_DAGEN = "2d", _("2 dagen voor de uiterste indiening")


S = AanvraagStatus

# The allowed status changes of an aanvraag and the roles that may make each one. Every change goes
# through `services.aanvraag_transition`, which checks this table; nothing else writes the status.
AANVRAAG_TRANSITIONS: dict[tuple[AanvraagStatus, AanvraagStatus], frozenset[Rol]] = {
    (S.CONCEPT, S.INGEDIEND): frozenset({Rol.REGISSEUR}),
    (S.INGEDIEND, S.IN_BEHANDELING): frozenset({Rol.BEOORDELAAR}),
    (S.IN_BEHANDELING, S.WIJZIGINGEN_GEVRAAGD): frozenset({Rol.BEOORDELAAR}),
    (S.WIJZIGINGEN_GEVRAAGD, S.INGEDIEND): frozenset({Rol.REGISSEUR}),
    # The due date for changes passed without a resubmission: WSE takes it back in review.
    (S.WIJZIGINGEN_GEVRAAGD, S.IN_BEHANDELING): frozenset({Rol.BEOORDELAAR}),
    (S.IN_BEHANDELING, S.GOEDGEKEURD): frozenset({Rol.BEOORDELAAR}),
    (S.IN_BEHANDELING, S.AFGEWEZEN): frozenset({Rol.BEOORDELAAR}),
    (S.CONCEPT, S.INGETROKKEN): frozenset({Rol.REGISSEUR}),
    (S.INGEDIEND, S.INGETROKKEN): frozenset({Rol.REGISSEUR}),
    (S.IN_BEHANDELING, S.INGETROKKEN): frozenset({Rol.REGISSEUR}),
    (S.WIJZIGINGEN_GEVRAAGD, S.INGETROKKEN): frozenset({Rol.REGISSEUR}),
}

# Statuses in which the regisseurs may change the content of their aanvraag (within the deadline).
EDITABLE_STATUSES = frozenset({S.CONCEPT, S.WIJZIGINGEN_GEVRAAGD})

PDF_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
