"""Settings of the aanvraag that are not statuses: the reminder moments and the upload limit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Herinneringsmoment(models.TextChoices):
    """When the regisseurs of a draft are reminded of the deadline, each at most once."""

    VEERTIEN_DAGEN = "14d", _("14 dagen voor de uiterste indiening")
    TWEE_DAGEN = "2d", _("2 dagen voor de uiterste indiening")


PDF_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
