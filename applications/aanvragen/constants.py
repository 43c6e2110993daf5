"""Settings of the aanvraag that are not statuses: the reminder moments and the upload limit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Herinneringsmoment(models.TextChoices):
    """When the regisseurs of a draft are reminded of the deadline, each at most once."""

    VEERTIEN_DAGEN = "14d", _("14 dagen voor de uiterste indiening")
    TWEE_DAGEN = "2d", _("2 dagen voor de uiterste indiening")


PDF_MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Maximum lengths of the free texts, in characters (`core.teksten`). The municipal BBC tools allow
# 4,000 characters for the description of an action, so an action's description gets that and its
# expected result half. The aanvraag's two long texts (environment analysis, vision) get five times
# as much, some six pages each: more than the call's form asks, far below what stalls a PDF. A
# reason given to a regisseur is a paragraph or two.
OMGEVINGSANALYSE_MAX = 20_000
VISIE_MAX = 20_000
ACTIE_BESCHRIJVING_MAX = 4_000
ACTIE_RESULTAAT_MAX = 2_000
REDEN_MAX = 2_000
# The one-line texts, as long as their columns (varchar): an action's title is a line, its target
# group, indicator and partners a phrase or a list; a contact person's name and function a line.
# Their forms show the same counter, without a maxlength that would cut a paste.
ACTIE_TITEL_MAX = 200
ACTIE_REGEL_MAX = 300
CONTACT_REGEL_MAX = 200
# The status history keeps the reason of every step, the motivation of a decision included, so it
# takes the longest of them (beoordeling.constants.BESLISSING_MOTIVATIE_MAX).
STATUSWIJZIGING_REDEN_MAX = 10_000
