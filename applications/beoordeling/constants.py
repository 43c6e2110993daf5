"""The advice a reviewer gives."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Advies(models.TextChoices):
    """A reviewer's overall advice on an aanvraag."""

    GOEDKEUREN = "goedkeuren", _("Goedkeuren")
    ONDER_VOORWAARDEN = "onder_voorwaarden", _("Goedkeuren onder voorwaarden")
    AFWIJZEN = "afwijzen", _("Afwijzen")


# Maximum lengths of the free texts, in characters (`core.teksten`): a score's motivation is a
# paragraph, a review's a page; a question a page, an answer (which may quote figures) some three;
# the motivation of a decision, which goes into the decision letter, some three pages.
SCORE_MOTIVATIE_MAX = 2_000
BEOORDELING_MOTIVATIE_MAX = 4_000
VRAAG_MAX = 4_000
ANTWOORD_MAX = 10_000
NOTITIE_MAX = 4_000
BESLISSING_MOTIVATIE_MAX = 10_000
# Why a second reviewer sends a proposed decision back: a paragraph.
TERUGSTUUR_REDEN_MAX = 2_000
