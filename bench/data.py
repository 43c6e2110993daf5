"""The data the benchmark renders, built with the test factories on an empty database."""

from __future__ import annotations

from applications.aanvragen.models import Aanvraag
from applications.besturen.models import LokaalBestuur
from tests.aanvraag_helpers import fill_large
from tests.factories import (
    AanvraagFactory,
    LidmaatschapFactory,
    OproepFactory,
    RegieverbandFactory,
)

# The five members of Sociale Economie Maasland in the demo data, led by Maasmechelen (73107).
# The migrations load these besturen; the factory reuses them by NIS code.
TREKKER_NIS = "73107"
LEDEN_NIS = ("72018", "72021", "72041", "73107", "73042")


def build_large_aanvraag() -> Aanvraag:
    """One regieverband with a few members, an open call, one aanvraag filled with `fill_large`."""
    verband = RegieverbandFactory.create(naam="Sociale Economie Maasland (benchmark)")
    for nis_code in LEDEN_NIS:
        LidmaatschapFactory.create(regieverband=verband, bestuur__nis_code=nis_code)
    verband.trekker = LokaalBestuur.objects.get(nis_code=TREKKER_NIS)
    verband.save(update_fields=["trekker"])
    oproep = OproepFactory.create(slug="bench")
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep)
    return fill_large(aanvraag)
