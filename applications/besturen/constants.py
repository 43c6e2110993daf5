"""Provinces, the centrumsteden and the legal forms of a regieverband."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


# Maximum lengths of the free texts, in characters (`core.teksten`): an address is a few lines, a
# beheerder's remark a paragraph or two.
ADRES_MAX = 500
OPMERKING_MAX = 2_000
