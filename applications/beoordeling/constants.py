"""The advice a reviewer gives."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Advies(models.TextChoices):
    """A reviewer's overall advice on an aanvraag."""

    GOEDKEUREN = "goedkeuren", _("Goedkeuren")
    ONDER_VOORWAARDEN = "onder_voorwaarden", _("Goedkeuren onder voorwaarden")
    AFWIJZEN = "afwijzen", _("Afwijzen")
