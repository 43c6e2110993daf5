"""What an API token may read (its scopes), how long it may live, and how often it may ask."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    OPROEPEN = "oproepen", _("Oproepen en beleidsprioriteiten")
    VERBANDEN = "verbanden", _("Regieverbanden en hun leden")
    AANVRAGEN = "aanvragen", _("Aanvragen, acties en beslissingen")
    # Money and the follow-up apart: a system that reads the aanvragen need not read payments.
    UITVOERING = "uitvoering", _("Opvolgmomenten en betalingen")


# A token lives at most a year: a forgotten one stops working by itself.
MAX_GELDIG_DAGEN = 365
STANDAARD_GELDIG_DAGEN = 90

# Requests per token per hour, unless the token says otherwise.
STANDAARD_PER_UUR = 1000

# The token as handed out: "rr_" + prefix (looked up) + "_" + secret (only its hash is kept).
TOKEN_VOORVOEGSEL = "rr_"
PREFIX_LENGTE = 10
NAAM_MAX = 100
