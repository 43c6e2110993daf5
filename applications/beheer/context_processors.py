"""The maintenance message on every page (`Onderhoudsmelding`), read at most every 30 seconds per
process: a message switched on or off shows on every server within that time."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from applications.beheer.models import Onderhoudsmelding

SLEUTEL = "regierol:onderhoudsmelding"
SECONDEN = 30


def onderhoudsmelding(request: HttpRequest) -> dict[str, str]:
    tekst = cache.get(SLEUTEL)
    if tekst is None:
        melding = Onderhoudsmelding.objects.filter(actief=True).order_by("-gewijzigd_op").first()
        tekst = melding.tekst if melding else ""
        cache.set(SLEUTEL, tekst, SECONDEN)
    return {"onderhoudsmelding": tekst}
