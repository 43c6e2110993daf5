"""A call whose decisions are published, with two approved aanvragen, one refused and one still
in review; and everything that must never reach the open data (contacts, notes, scores)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.models import User
from applications.beoordeling.constants import Advies
from applications.beoordeling.models import Beoordeling, Beslissing, Notitie, Score
from applications.besturen.models import Regieverband
from applications.oproepen.models import Oproep
from tests.factories import (
    AanvraagFactory,
    LidmaatschapFactory,
    LokaalBestuurFactory,
    OproepFactory,
    RegieverbandFactory,
)

GEHEIM = "Verzonnen-geheim-dat-nooit-publiek-wordt"


@dataclass
class Gepubliceerd:
    oproep: Oproep
    maasland: Aanvraag  # approved: 40,000 / 45,000 / 50,000
    trio: Aanvraag  # approved: 30,000 each year, trekker Beringen
    afgewezen: Aanvraag
    lopend: Aanvraag  # in review: not decided


def beslis(aanvraag: Aanvraag, uitkomst: str, bedragen: dict[int, str], by: User) -> Beslissing:
    """A decision as recorded, without rendering its letter (not what these tests are about)."""
    Aanvraag.objects.filter(pk=aanvraag.pk).update(status=uitkomst)
    return Beslissing.objects.create(
        aanvraag=aanvraag,
        uitkomst=uitkomst,
        bedragen={str(j): b for j, b in bedragen.items()},
        motivatie=f"Motivatie {GEHEIM}",
        door=by,
        op=timezone.make_aware(datetime.datetime(2030, 3, 1, 10, 0)),
        brief="beslissingen/verzonnen.pdf",
        brief_sha256="0" * 64,
        brief_grootte=1,
    )


def _verband(naam: str, nis_codes: list[str], trekker: str | None) -> Regieverband:
    verband = RegieverbandFactory.create(
        naam=naam, contact_email=f"contact-{GEHEIM.lower()}@example.org", contact_naam=GEHEIM
    )
    for nis in nis_codes:
        bestuur = LokaalBestuurFactory.create(nis_code=nis)  # the imported one
        LidmaatschapFactory.create(
            regieverband=verband, bestuur=bestuur, van=datetime.date(2020, 1, 1)
        )
        if nis == trekker:
            verband.trekker = bestuur
            verband.save()
    return verband


@pytest.fixture
def gepubliceerd(beoordelaar: User) -> Gepubliceerd:
    oproep = OproepFactory.create(slug="gepubliceerd-test", beslissingen_gepubliceerd=True)
    ingediend = timezone.make_aware(datetime.datetime(2030, 1, 10, 12, 0))
    maasland = AanvraagFactory.create(
        regieverband=_verband("Maasland (test)", ["72018", "73107"], None),
        oproep=oproep,
        ingediend_op=ingediend,
        contact_naam=GEHEIM,
    )
    trio = AanvraagFactory.create(
        regieverband=_verband("Mijntrio (test)", ["71004", "71070", "72039"], "71004"),
        oproep=oproep,
        ingediend_op=ingediend,
    )
    afgewezen = AanvraagFactory.create(
        regieverband=_verband("Afgewezen verband (test)", ["44084"], "44084"), oproep=oproep
    )
    lopend = AanvraagFactory.create(
        regieverband=_verband("Lopend verband (test)", ["31005"], "31005"),
        oproep=oproep,
        status=AanvraagStatus.IN_BEHANDELING,
    )
    jaren = oproep.jaren
    beslis(
        maasland,
        AanvraagStatus.GOEDGEKEURD,
        dict(zip(jaren, ["40000", "45000", "50000"], strict=True)),
        beoordelaar,
    )
    beslis(trio, AanvraagStatus.GOEDGEKEURD, {j: "30000" for j in jaren}, beoordelaar)
    beslis(afgewezen, AanvraagStatus.AFGEWEZEN, {}, beoordelaar)
    Notitie.objects.create(aanvraag=maasland, tekst=f"Notitie {GEHEIM}", door=beoordelaar)
    beoordeling = Beoordeling.objects.create(
        aanvraag=maasland,
        beoordelaar=beoordelaar,
        advies=Advies.choices[0][0],
        motivatie=f"Beoordeling {GEHEIM}",
        bedragen={str(j): "1" for j in jaren},
    )
    Score.objects.create(
        beoordeling=beoordeling,
        prioriteit=oproep.prioriteiten.all()[0],
        score=4,
        motivatie=f"Score {GEHEIM}",
    )
    for a in (maasland, trio, afgewezen, lopend):
        a.refresh_from_db()
    return Gepubliceerd(oproep, maasland, trio, afgewezen, lopend)


def bedragen_van(aanvraag: Aanvraag) -> dict[int, Decimal]:
    return aanvraag.beslissing.bedragen_per_jaar
