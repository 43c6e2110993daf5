"""The status of a call, where it asks attachments, and the known subsidy formulas."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OproepStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    OPEN = "open", _("Open")
    GESLOTEN = "gesloten", _("Gesloten")


class Bijlagemoment(models.TextChoices):
    """Where a call asks an attachment: with the aanvraag, or with each year's opvolgmoment
    (for example the trekker's jaarrekening, a setting of the call like the others)."""

    AANVRAAG = "aanvraag", _("bij de aanvraag")
    OPVOLGMOMENT = "opvolgmoment", _("bij elk opvolgmoment")


class Subsidieformule(models.TextChoices):
    """How the indicative amount of an aanvraag is computed; unknown formulas compute nothing."""

    ONBEKEND = "onbekend", _("Onbekend (geen indicatief bedrag)")
    BEVOLKINGSSCHIJVEN_2020 = "bevolkingsschijven-2020", _("Bevolkingsschijven (oproep 2020-2025)")


# Maximum lengths of the free texts, in characters (`core.teksten`): a description of a call, a
# priority or a kind of attachment is at most a page; a beheerder's remark a paragraph or two.
BESCHRIJVING_MAX = 4_000
OPMERKING_MAX = 2_000
# The conditions a decision letter of the call names, and to whom and how one objects to it.
VOORWAARDEN_MAX = 4_000
BEZWAAR_BIJ_MAX = 300
# What a point of the score scale means for a priority: a sentence or two, shown beside each
# choice in the review form.
SCOREANKER_MAX = 300
