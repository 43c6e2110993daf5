"""SQL query counts of the portal's main pages at 1x and 10x data (`python -m bench`).

The same builder fills the database twice, each time inside a savepoint that is rolled back
afterwards: once at scale 1 (4 verbanden, 8 aanvragen, 5 actions each, two reviews per submitted
aanvraag...) and once at scale 10 (ten times each of those). Every main page is then asked as the
role that uses it, through `django.test.Client`, and its queries are counted with
`CaptureQueriesContext`. A page whose count differs between the two scales runs a query per row
somewhere: that is a correctness property of the page, and it makes the benchmark fail. The
page's time at each scale is printed too, but only as information.

Five actions per aanvraag at scale 1 (not ten) keep every admin change list of the main models
under its page size of 50 rows at scale 1, so a query per row there shows as a different count.
Attachments, sealed versions and decision letters are rows only: no page measured here opens
their files. Calls do not scale (a handful exist at any time), so a query per call goes unseen.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib import admin
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.aanvragen.models import (
    Aanvraag,
    Actie,
    Bijlage,
    Indiening,
    Statuswijziging,
    Verlenging,
)
from applications.aanvragen.momentopname import aanvraag_inhoud, inhoud_sha256
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.constants import Rol
from applications.accounts.middleware import LAATSTE_ACTIVITEIT
from applications.accounts.models import User
from applications.audit.models import Auditregel
from applications.audit.services import onderwerp_velden
from applications.beheer.models import Uitnodiging
from applications.beoordeling.constants import Advies
from applications.beoordeling.models import Beoordeling, Beslissing, Notitie, Score, Vraag
from applications.besturen.constants import Rechtsvorm
from applications.besturen.models import (
    Bevolking,
    Lidmaatschap,
    LokaalBestuur,
    Regieverband,
    Trekkerwissel,
    Werkloosheidsgraad,
)
from applications.oproepen.constants import OproepStatus, Subsidieformule
from applications.oproepen.models import Oproep
from applications.uitvoering.constants import Boekingssoort, Opvolgstatus, Realisatie
from applications.uitvoering.models import Actierapport, Boeking, Herbeslissing, Opvolgmoment
from tests.conftest import client_for
from tests.factories import OproepFactory

SCALES = (1, 10)
BRUSSELS = ZoneInfo("Europe/Brussels")
LID_VANAF = datetime.date(2020, 1, 1)
# One made-up password hash for every account: hashing one per account would take most of the run.
PASSWORD = "bench-wachtwoord-123"

# The roles that ask the pages.
REGISSEUR = "regisseur"
BEOORDELAAR = "beoordelaar"
BEHEERDER = "beheerder"
ANONIEM = "anoniem"  # the public open-data pages


# --- The data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """How much of everything one scale builds."""

    scale: int

    @property
    def verbanden(self) -> int:
        return 4 * self.scale

    @property
    def leden_per_verband(self) -> int:
        return 2 * self.scale

    @property
    def eigen_verbanden(self) -> int:
        """The verbanden of the measured regisseur (the other verbanden have their own)."""
        return 2 * self.scale

    @property
    def beoordelaars(self) -> int:
        """Every submitted aanvraag is reviewed by each of them."""
        return 2 * self.scale

    @property
    def acties_per_aanvraag(self) -> int:
        return 5 * self.scale

    @property
    def versies(self) -> int:
        """Sealed versions (Indiening) of each submitted aanvraag."""
        return 2 * self.scale

    @property
    def vragen(self) -> int:
        return 2 * self.scale

    @property
    def notities(self) -> int:
        return 2 * self.scale

    @property
    def verlengingen(self) -> int:
        return self.scale

    @property
    def trekkerwissels(self) -> int:
        return self.scale

    @property
    def auditregels(self) -> int:
        return 10 * self.scale


@dataclass
class World:
    """What one scale built, and who asks which page."""

    sizes: Sizes
    regisseur: User
    beoordelaar: User
    beheerder: User
    lopend: Oproep  # open call: the regisseur's drafts
    ingediend: Oproep  # closed call: submitted aanvragen under review
    concept: Aanvraag  # the regisseur's draft in the open call
    in_behandeling: Aanvraag  # the regisseur's aanvraag under review, led by `beoordelaar`
    verband: Regieverband  # the regisseur's first verband
    toegekend: Aanvraag  # a granted aanvraag of the closed call, with its ledger
    summary: dict[str, int] = field(default_factory=dict)


def _group(rol: Rol) -> Group:
    return Group.objects.get_or_create(name=rol.value)[0]


def _users(prefix: str, n: int, password: str) -> list[User]:
    return User.objects.bulk_create(
        User(
            email=f"{prefix}{i:03d}@bench.example.org",
            first_name="Bench",
            last_name=f"{prefix.capitalize()} {i:03d}",
            password=password,
            last_login=timezone.now() if i % 2 else None,
        )
        for i in range(n)
    )


def _add_to_group(users: list[User], rol: Rol) -> None:
    group = _group(rol)
    through = User.groups.through
    through.objects.bulk_create(through(user_id=u.pk, group_id=group.pk) for u in users)


def _pool(size: int) -> list[LokaalBestuur]:
    """Up to `size` besturen that exist on both calls' peildata, to be members. There are fewer
    of them than memberships, so some besturen are in two verbanden (an overlap) at every scale."""
    besturen = LokaalBestuur.objects.filter(
        Q(geldig_vanaf__isnull=True) | Q(geldig_vanaf__lte=datetime.date(2026, 1, 1)),
        geldig_tot__isnull=True,
    ).order_by("nis_code")
    return list(besturen[: max(1, size)])


def _oproepen() -> tuple[Oproep, Oproep]:
    lopend = OproepFactory.create(
        slug="bench-lopend",
        naam="Benchmark: lopende oproep",
        eerste_jaar=2030,
        laatste_jaar=2032,
        status=OproepStatus.OPEN,
    )
    ingediend = OproepFactory.create(
        slug="bench-ingediend",
        naam="Benchmark: oproep in beoordeling",
        eerste_jaar=2026,
        laatste_jaar=2028,
        deadline=datetime.datetime(2026, 1, 15, 23, 59, 59, tzinfo=BRUSSELS),
        status=OproepStatus.GESLOTEN,
        min_inwoners=50_000,
        subsidieformule=Subsidieformule.BEVOLKINGSSCHIJVEN_2020,
        jaarbudget=Decimal("400000.00"),
    )
    return lopend, ingediend


# The statuses of the submitted aanvragen, in turn; the measured one is in behandeling.
INGEDIENDE_STATUSSEN = (
    AanvraagStatus.IN_BEHANDELING,
    AanvraagStatus.INGEDIEND,
    AanvraagStatus.WIJZIGINGEN_GEVRAAGD,
    AanvraagStatus.GOEDGEKEURD,
    AanvraagStatus.AFGEWEZEN,
    AanvraagStatus.INGETROKKEN,
)


def _statusgeschiedenis(status: str, versies: int) -> list[tuple[str, str]]:
    """A plausible chain of status changes ending in `status`, one round per extra version."""
    chain = [(AanvraagStatus.CONCEPT, AanvraagStatus.INGEDIEND)]
    for _ in range(versies - 1):
        chain += [
            (AanvraagStatus.INGEDIEND, AanvraagStatus.IN_BEHANDELING),
            (AanvraagStatus.IN_BEHANDELING, AanvraagStatus.WIJZIGINGEN_GEVRAAGD),
            (AanvraagStatus.WIJZIGINGEN_GEVRAAGD, AanvraagStatus.INGEDIEND),
        ]
    if status != AanvraagStatus.INGEDIEND:
        chain.append((AanvraagStatus.INGEDIEND, AanvraagStatus.IN_BEHANDELING))
    if status in (
        AanvraagStatus.WIJZIGINGEN_GEVRAAGD,
        AanvraagStatus.GOEDGEKEURD,
        AanvraagStatus.AFGEWEZEN,
        AanvraagStatus.INGETROKKEN,
    ):
        chain.append((AanvraagStatus.IN_BEHANDELING, AanvraagStatus(status)))
    return [(str(van), str(naar)) for van, naar in chain]


def build(scale: int) -> World:
    """Fill the (migrated, otherwise empty) database with one scale of made-up data."""
    sizes = Sizes(scale)
    now = timezone.now()
    password = make_password(PASSWORD)
    lopend, ingediend = _oproepen()
    oproepen = (lopend, ingediend)

    # People: the three measured users, one regisseur per other verband, the reviewers.
    regisseur = User.objects.create(
        email="regisseur@bench.example.org",
        first_name="Rita",
        last_name="Regisseur",
        password=password,
    )
    beheerder = User.objects.create(
        email="beheerder@bench.example.org",
        first_name="Bea",
        last_name="Beheerder",
        password=password,
        is_staff=True,
    )
    beoordelaars = _users("beoordelaar", sizes.beoordelaars, password)
    beoordelaar = beoordelaars[0]
    andere_regisseurs = _users("regisseur", sizes.verbanden - sizes.eigen_verbanden, password)
    _add_to_group([regisseur, *andere_regisseurs], Rol.REGISSEUR)
    _add_to_group(beoordelaars, Rol.BEOORDELAAR)
    _add_to_group([beheerder], Rol.BEHEERDER)

    # Verbanden, their members (with overlaps) and trekker history.
    verbanden = Regieverband.objects.bulk_create(
        Regieverband(
            naam=f"Benchmarkverband {i:03d}",
            rechtsvorm=Rechtsvorm.INTERLOKALE_VERENIGING,
            contact_naam=f"Contact {i:03d}",
            contact_email=f"contact{i:03d}@bench.example.org",
        )
        for i in range(sizes.verbanden)
    )
    pool = _pool(sizes.verbanden * sizes.leden_per_verband - 1)
    leden: dict[int, list[LokaalBestuur]] = {}
    lidmaatschappen = []
    for i, verband in enumerate(verbanden):
        start = i * sizes.leden_per_verband
        leden[verband.pk] = [
            pool[(start + j) % len(pool)] for j in range(min(sizes.leden_per_verband, len(pool)))
        ]
        lidmaatschappen += [
            Lidmaatschap(regieverband=verband, bestuur=b, van=LID_VANAF) for b in leden[verband.pk]
        ]
        verband.trekker = leden[verband.pk][0]
    Lidmaatschap.objects.bulk_create(lidmaatschappen)
    Regieverband.objects.bulk_update(verbanden, ["trekker"])
    Trekkerwissel.objects.bulk_create(
        Trekkerwissel(
            regieverband=v,
            trekker=leden[v.pk][n % len(leden[v.pk])],
            vanaf=LID_VANAF + datetime.timedelta(days=30 * n),
            geregistreerd_door=beheerder,
        )
        for v in verbanden
        for n in range(sizes.trekkerwissels)
    )
    through = Regieverband.regisseurs.through
    eigen = verbanden[: sizes.eigen_verbanden]
    through.objects.bulk_create(
        [through(regieverband_id=v.pk, user_id=regisseur.pk) for v in eigen]
        + [
            through(regieverband_id=v.pk, user_id=u.pk)
            for v, u in zip(verbanden[sizes.eigen_verbanden :], andere_regisseurs, strict=True)
        ]
    )
    Uitnodiging.objects.bulk_create(
        Uitnodiging(
            gebruiker=u,
            token_sha256=hashlib.sha256(f"bench-{u.pk}".encode()).hexdigest(),
            verstuurd_door=beheerder,
            geldig_tot=now + datetime.timedelta(days=7 - 10 * (i % 2)),
            gebruikt_op=now if i % 3 == 0 else None,
        )
        for i, u in enumerate([regisseur, *andere_regisseurs, *beoordelaars])
    )

    # Made-up reference figures for every bestuur in the pool.
    Bevolking.objects.bulk_create(
        Bevolking(bestuur=b, referentiejaar=jaar, inwoners=10_000 + 37 * b.pk, bron="benchmark")
        for b in pool
        for jaar in (2025, 2026)
    )
    Werkloosheidsgraad.objects.bulk_create(
        Werkloosheidsgraad(
            bestuur=b, jaar=2025, percentage=Decimal(b.pk % 90) / 10, bron="benchmark"
        )
        for b in pool
    )

    # One aanvraag per verband per call: drafts in the open call, submitted ones in the other.
    aanvragen: list[Aanvraag] = []
    for oproep in oproepen:
        for i, verband in enumerate(verbanden):
            status = (
                AanvraagStatus.CONCEPT
                if oproep is lopend
                else INGEDIENDE_STATUSSEN[i % len(INGEDIENDE_STATUSSEN)]
            )
            aanvragen.append(
                Aanvraag(
                    regieverband=verband,
                    oproep=oproep,
                    status=status,
                    contact_naam=f"Contact {i:03d}",
                    contact_email=f"contact{i:03d}@bench.example.org",
                    omgevingsanalyse="Verzonnen omgevingsanalyse voor de benchmark.",
                    visie="Verzonnen visie voor de benchmark.",
                    ingediend_op=None if oproep is lopend else oproep.deadline,
                    ingediend_door=None if oproep is lopend else regisseur,
                    behandelaar=None
                    if oproep is lopend or status == AanvraagStatus.INGEDIEND
                    else beoordelaars[i % len(beoordelaars)],
                    wijzigingen_tot=now + datetime.timedelta(days=14)
                    if status == AanvraagStatus.WIJZIGINGEN_GEVRAAGD
                    else None,
                    gewijzigd_door=regisseur,
                )
            )
    aanvragen = Aanvraag.objects.bulk_create(aanvragen)
    ingediende = [a for a in aanvragen if a.oproep_id == ingediend.pk]

    prioriteiten = {o.pk: list(o.prioriteiten.all()) for o in oproepen}
    bijlagetypes = {o.pk: list(o.bijlagetypes.all()) for o in oproepen}
    acties = []
    bijlagen = []
    for a in aanvragen:
        oproep = lopend if a.oproep_id == lopend.pk else ingediend
        cellen = [(p, jaar) for p in prioriteiten[oproep.pk] for jaar in oproep.jaren]
        for n in range(sizes.acties_per_aanvraag):
            p, jaar = cellen[n % len(cellen)]
            acties.append(
                Actie(
                    aanvraag=a,
                    prioriteit=p,
                    jaar=jaar,
                    titel=f"Actie {n + 1}: trajecten naar werk",
                    beschrijving="Verzonnen beschrijving.",
                    budget=Decimal("10000.00") + n,
                    volgorde=n // len(cellen),
                )
            )
        for t in bijlagetypes[oproep.pk]:
            voor: list[LokaalBestuur | None] = [*leden[a.regieverband_id]] if t.per_lid else [None]
            for bestuur in voor:
                sha = hashlib.sha256(f"{a.pk}-{t.pk}-{bestuur}".encode()).hexdigest()
                bijlagen.append(
                    Bijlage(
                        aanvraag=a,
                        bijlagetype=t,
                        bestuur=bestuur,
                        bestand=f"bijlagen/{a.pk}/{sha}.pdf",
                        naam=f"{t.code}.pdf",
                        grootte=12_345,
                        sha256=sha,
                        opgeladen_door=regisseur,
                    )
                )
    Actie.objects.bulk_create(acties)
    Bijlage.objects.bulk_create(bijlagen)
    Verlenging.objects.bulk_create(
        Verlenging(
            aanvraag=a,
            tot=a.oproep.deadline + datetime.timedelta(days=n + 1),
            reden="Verzonnen reden voor de benchmark.",
            toegekend_door=beoordelaar,
        )
        for a in aanvragen
        for n in range(sizes.verlengingen)
    )

    # The review side of every submitted aanvraag.
    indieningen = []
    wijzigingen = []
    beoordelingen = []
    vragen = []
    notities = []
    beslissingen = []
    for a in ingediende:
        inhoud = aanvraag_inhoud(a)
        for nummer in range(1, sizes.versies + 1):
            sha = hashlib.sha256(f"indiening-{a.pk}-{nummer}".encode()).hexdigest()
            indieningen.append(
                Indiening(
                    aanvraag=a,
                    nummer=nummer,
                    ingediend_op=ingediend.deadline
                    - datetime.timedelta(days=sizes.versies - nummer),
                    ingediend_door=regisseur,
                    pdf=f"indieningen/{a.pk}/{nummer}-{sha}.pdf",
                    pdf_sha256=sha,
                    pdf_grootte=123_456,
                    inhoud=(versie := {**inhoud, "visie": f"{inhoud['visie']} (versie {nummer})"}),
                    inhoud_sha256=inhoud_sha256(versie),
                )
            )
        for n, (van, naar) in enumerate(_statusgeschiedenis(a.status, sizes.versies)):
            wijzigingen.append(
                Statuswijziging(
                    aanvraag=a,
                    van=van,
                    naar=naar,
                    door=beoordelaar,
                    op=ingediend.deadline + datetime.timedelta(hours=n),
                    reden="Verzonnen reden.",
                )
            )
        bedragen = {str(jaar): "100000.00" for jaar in ingediend.jaren}
        beoordelingen += [
            Beoordeling(
                aanvraag=a,
                beoordelaar=b,
                advies=Advies.GOEDKEUREN,
                motivatie="Verzonnen motivatie.",
                bedragen=bedragen,
            )
            for b in beoordelaars
        ]
        vragen += [
            Vraag(
                aanvraag=a,
                tekst=f"Verzonnen vraag {n + 1}?",
                gesteld_door=beoordelaar,
                antwoord="Verzonnen antwoord." if n % 2 else "",
                beantwoord_door=regisseur if n % 2 else None,
                beantwoord_op=now if n % 2 else None,
            )
            for n in range(sizes.vragen)
        ]
        notities += [
            Notitie(aanvraag=a, tekst=f"Verzonnen notitie {n + 1}.", door=beoordelaar)
            for n in range(sizes.notities)
        ]
        if a.status in (AanvraagStatus.GOEDGEKEURD, AanvraagStatus.AFGEWEZEN):
            sha = hashlib.sha256(f"beslissing-{a.pk}".encode()).hexdigest()
            beslissingen.append(
                Beslissing(
                    aanvraag=a,
                    uitkomst=a.status,
                    bedragen=bedragen if a.status == AanvraagStatus.GOEDGEKEURD else {},
                    motivatie="Verzonnen motivatie.",
                    door=beoordelaar,
                    op=now,
                    brief=f"beslissingen/{a.pk}/{sha}.pdf",
                    brief_sha256=sha,
                    brief_grootte=23_456,
                )
            )
    Indiening.objects.bulk_create(indieningen)
    Statuswijziging.objects.bulk_create(wijzigingen)
    beoordelingen = Beoordeling.objects.bulk_create(beoordelingen)
    Score.objects.bulk_create(
        Score(beoordeling=b, prioriteit=p, score=3, motivatie="Verzonnen.")
        for b in beoordelingen
        for p in prioriteiten[ingediend.pk]
    )
    Vraag.objects.bulk_create(vragen)
    Notitie.objects.bulk_create(notities)
    Beslissing.objects.bulk_create(beslissingen)
    # The ledger of every granted aanvraag: per year of the grant a payment per scale, and the
    # call's decisions published as open data.
    datum = datetime.date(2026, 3, 1)
    Boeking.objects.bulk_create(
        Boeking(
            aanvraag=b.aanvraag,
            jaar=int(jaar),
            soort=Boekingssoort.BETALING,
            datum=datum,
            bedrag=Decimal(1000),
            referentie=f"BENCH-{b.aanvraag_id}-{jaar}-{n}",
            geboekt_door=beheerder,
        )
        for b in beslissingen
        if b.uitkomst == AanvraagStatus.GOEDGEKEURD
        for jaar in b.bedragen
        for n in range(sizes.scale)
    )
    # The follow-up of every granted aanvraag: its first year's opvolgmoment accepted, with a
    # report of each action of that year (the realisations in turn), and for every other one a
    # later decision that lowers that year below what was paid (an amount to recover).
    toegekende = [b.aanvraag for b in beslissingen if b.uitkomst == AanvraagStatus.GOEDGEKEURD]
    eerste_jaar = ingediend.eerste_jaar
    momenten = Opvolgmoment.objects.bulk_create(
        Opvolgmoment(aanvraag=a, jaar=eerste_jaar, status=Opvolgstatus.AANVAARD) for a in toegekende
    )
    moment_van = {m.aanvraag_id: m for m in momenten}
    Actierapport.objects.bulk_create(
        Actierapport(
            opvolgmoment=moment_van[actie.aanvraag_id],
            actie=actie,
            realisatie=Realisatie.values[n % len(Realisatie.values)],
            bbc_actie=f"AC{n:03d}",
            code_toegepast=True,
        )
        for n, actie in enumerate(acties)
        if actie.aanvraag_id in moment_van and actie.jaar == eerste_jaar
    )
    Herbeslissing.objects.bulk_create(
        Herbeslissing(
            aanvraag=a,
            bedragen={
                str(jaar): "500.00" if jaar == eerste_jaar else "100000.00"
                for jaar in ingediend.jaren
            },
            motivatie="Verzonnen motivatie.",
            door=beoordelaar,
            op=now,
        )
        for a in toegekende[1::2]
    )
    Oproep.objects.filter(pk=ingediend.pk).update(beslissingen_gepubliceerd=True)
    Auditregel.objects.bulk_create(
        Auditregel(
            soort=Auditregel.Soort.DOWNLOAD if n % 2 else Auditregel.Soort.BEHEER,
            gebruiker=beheerder,
            gebruiker_email=beheerder.email,
            ip_adres="192.0.2.1",
            actie="Benchmark",
            pad="/beheer/",
            **onderwerp_velden(ingediende[n % len(ingediende)]),
        )
        for n in range(sizes.auditregels)
    )

    verband = verbanden[0]
    world = World(
        sizes=sizes,
        regisseur=regisseur,
        beoordelaar=beoordelaar,
        beheerder=beheerder,
        lopend=lopend,
        ingediend=ingediend,
        concept=next(a for a in aanvragen if a.oproep_id == lopend.pk),
        in_behandeling=ingediende[0],
        verband=verband,
        toegekend=next(a for a in ingediende if a.status == AanvraagStatus.GOEDGEKEURD),
    )
    assert world.concept.regieverband_id == verband.pk
    assert world.in_behandeling.regieverband_id == verband.pk
    assert world.in_behandeling.behandelaar_id == beoordelaar.pk
    world.summary = {
        "verbanden": len(verbanden),
        "leden per verband": sizes.leden_per_verband,
        "aanvragen": len(aanvragen),
        "acties per aanvraag": sizes.acties_per_aanvraag,
        "bijlagen": len(bijlagen),
        "beoordelingen per ingediende aanvraag": sizes.beoordelaars,
        "versies per ingediende aanvraag": sizes.versies,
        "vragen per ingediende aanvraag": sizes.vragen,
        "gebruikers": User.objects.count(),
    }
    return world


# --- The pages -------------------------------------------------------------------------------


# How a list page's data rows are counted, so that "linear in rows" can be judged: a CSV export's
# records after its header, an HTML page's table rows in <tbody>.
CSV = "csv"
HTML = "html"


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    url: str
    rows: str | None = None  # CSV or HTML for a page that lists rows; None for any other page

    @property
    def label(self) -> str:
        """The page's name in the table and in bench/results.json: several roles ask the same
        page (the dashboard), so the role is part of it."""
        return f"{self.name} ({self.role})"


def pages(world: World) -> list[Page]:
    """Every page a user opens often, each asked by the role that uses it."""
    concept, dossier = world.concept.pk, world.in_behandeling.pk
    actie = Actie.objects.filter(aanvraag=world.concept).order_by("pk").first()
    assert actie is not None
    slug = world.ingediend.slug
    result = [
        Page("dashboard", REGISSEUR, reverse("dashboard")),
        Page("aanvragen", REGISSEUR, reverse("aanvraag_list"), HTML),
        Page("regieverband", REGISSEUR, reverse("regieverband_detail", args=[world.verband.pk])),
        *(
            Page(f"aanvraag: {name}", REGISSEUR, reverse(url_name, args=args))
            for name, url_name, args in (
                ("overzicht (concept)", "aanvraag_overzicht", [concept]),
                ("verband", "aanvraag_verband", [concept]),
                ("teksten", "aanvraag_teksten", [concept]),
                ("meerjarenplan", "aanvraag_meerjarenplan", [concept]),
                ("begroting", "aanvraag_begroting", [concept]),
                ("bijlagen", "aanvraag_bijlagen", [concept]),
                ("actie wijzigen", "actie_wijzig", [concept, actie.pk]),
                ("actie toevoegen", "actie_nieuw", [concept]),
                ("overzicht (ingediend)", "aanvraag_overzicht", [dossier]),
                ("opvolging", "aanvraag_opvolging", [dossier]),
                ("PDF (concept)", "aanvraag_pdf", [concept]),
            )
        ),
        Page("dashboard", BEOORDELAAR, reverse("dashboard")),
        Page("aanvragen", BEOORDELAAR, reverse("aanvraag_list"), HTML),
        Page(
            "beoordeling: wachtrij",
            BEOORDELAAR,
            f"{reverse('beoordeling_queue')}?oproep={slug}",
            HTML,
        ),
        *(
            Page(f"beoordeling: {name}", BEOORDELAAR, reverse(url_name, args=args))
            for name, url_name, args in (
                ("aanvraag", "beoordeling_detail", [dossier]),
                ("mijn beoordeling", "beoordeling_form", [dossier]),
                ("versies", "beoordeling_versies", [dossier, 1, world.sizes.versies]),
            )
        ),
        Page("dekking", BEOORDELAAR, reverse("dekking", args=[slug])),
        Page("budget", BEOORDELAAR, reverse("budget", args=[slug])),
        *(
            Page(
                f"export {soort}.csv",
                BEOORDELAAR,
                reverse("export", args=[slug, soort, "csv"]),
                CSV,
            )
            for soort in (
                "aanvragen",
                "acties",
                "dekking",
                "betalingen",
                "uitvoering",
                "realisaties",
            )
        ),
        Page("uitvoering", BEOORDELAAR, reverse("aanvraag_uitvoering", args=[world.toegekend.pk])),
        Page(
            "uitvoering van de oproep",
            BEOORDELAAR,
            reverse("oproep_uitvoering", args=[slug]),
            HTML,
        ),
        Page("open data: dekking", ANONIEM, reverse("opendata_oproep", args=[slug])),
        Page("open data: subsidies.jsonld", ANONIEM, reverse("opendata_jsonld", args=[slug])),
        Page("open data: subsidies.csv", ANONIEM, reverse("opendata_csv", args=[slug]), CSV),
        Page("dashboard", BEHEERDER, reverse("dashboard")),
        Page("beheer: regieverbanden", BEHEERDER, reverse("beheer_verbanden"), HTML),
        Page("beheer: regieverband", BEHEERDER, reverse("beheer_verband", args=[world.verband.pk])),
        Page("beheer: gebruikers", BEHEERDER, reverse("beheer_gebruikers"), HTML),
        Page("admin: index", BEHEERDER, reverse("beheer:index")),
    ]
    # Every change list of the admin site, so a model registered later is measured too.
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        opts = model._meta
        result.append(
            Page(
                f"admin: {opts.app_label}.{opts.model_name}",
                BEHEERDER,
                reverse(f"beheer:{opts.app_label}_{opts.model_name}_changelist"),
                HTML,
            )
        )
    return result


# --- Measuring -------------------------------------------------------------------------------


def _recently_active(client: Client) -> None:
    """Mark the session active just now, so the idle-session middleware does not write it during
    the measured request (it writes at most once a minute): the count must not depend on time."""
    session = client.session
    session[LAATSTE_ACTIVITEIT] = time.time()
    session.save()


@dataclass(frozen=True)
class Sample:
    """One page at one scale: its status, the queries of the first timed request, the
    seconds of every timed request (after two warm-up requests) and, for a list page, the data
    rows of its answer."""

    status: int
    queries: tuple[str, ...]
    per_request: tuple[int, ...]
    seconds: tuple[float, ...]
    rows: int | None = None

    @property
    def count(self) -> int:
        return len(self.queries)

    @property
    def stable(self) -> bool:
        """The same number of queries on every timed request."""
        return len(set(self.per_request)) == 1

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def _read(response: HttpResponseBase) -> bytes:
    """The whole body: a streamed response is written only while it is read."""
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)  # type: ignore[arg-type]
    return response.content  # type: ignore[attr-defined]


def csv_rows(body: bytes) -> int:
    """The records of a CSV export after its header line (`;`-separated, UTF-8 with BOM); a
    field with a line break in it is still one record."""
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";")
    return max(0, sum(1 for record in reader if record) - 1)


_TBODY = re.compile(r"<tbody\b.*?</tbody>", re.S | re.I)
_TR = re.compile(r"<tr\b", re.I)


def html_rows(body: bytes) -> int:
    """The table rows in the <tbody> elements of an HTML page (the admin's result list, the
    portal's lists): its data rows, not its headers and footers."""
    return sum(len(_TR.findall(tbody)) for tbody in _TBODY.findall(body.decode()))


def count_rows(kind: str | None, body: bytes) -> int | None:
    if kind == CSV:
        return csv_rows(body)
    if kind == HTML:
        return html_rows(body)
    return None


def measure(client: Client, page: Page, repeat: int) -> Sample:
    """Time `repeat` requests of a page, each one read to its last byte (a streamed export is
    timed and its queries counted while it streams)."""
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    # Warm-up, not counted: the first request of a session fills per-process caches, and a page
    # kept per version is measured as the views after it find it (the review page's second view
    # still asks whether anything is new since the first visit, which it wrote down; from the
    # third on it reads only its versions). How many queries a kept page takes to draw is tested
    # with the pages themselves.
    for _ in range(2):
        _recently_active(client)
        _read(client.get(page.url, secure=True))
    status = 0
    queries: tuple[str, ...] = ()
    counts: list[int] = []
    seconds: list[float] = []
    body = b""
    for i in range(repeat):
        _recently_active(client)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(page.url, secure=True)
            body = _read(response)
            seconds.append(time.perf_counter() - start)
        counts.append(len(captured.captured_queries))
        if i == 0:
            status = response.status_code
            queries = tuple(q["sql"] for q in captured.captured_queries)
    return Sample(
        status=status,
        queries=queries,
        per_request=tuple(counts),
        seconds=tuple(seconds),
        rows=count_rows(page.rows, body),
    )


@dataclass(frozen=True)
class PageResult:
    name: str
    role: str
    small: Sample
    large: Sample
    url: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.role})"

    @property
    def equal(self) -> bool:
        return self.small.count == self.large.count

    @property
    def ok(self) -> bool:
        return (
            self.equal
            and self.small.status == self.large.status == 200
            and self.small.stable
            and self.large.stable
        )

    @property
    def ratio(self) -> float:
        return self.large.median / self.small.median if self.small.median else float("inf")

    def extra_queries(self) -> list[tuple[int, int, str]]:
        """The statements (numbers and strings blanked out) run a different number of times at
        the two scales: (times at the small scale, at the large one, statement)."""
        small = Counter(normalise(q) for q in self.small.queries)
        large = Counter(normalise(q) for q in self.large.queries)
        return sorted(
            (small[sql], large[sql], sql)
            for sql in small.keys() | large.keys()
            if small[sql] != large[sql]
        )


_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_LISTS = re.compile(r"\((?:\s*\?\s*,)+\s*\?\s*\)")


_CURSOR = re.compile(r'"_django_curs_\d+_sync_\d+"')


def normalise(sql: str) -> str:
    """A statement without its values, so the same query for another row compares equal (and
    a server-side cursor without its name, which counts up in a process)."""
    return _LISTS.sub("(?, ...)", _LITERALS.sub("?", _CURSOR.sub('"_django_curs"', sql)))


@dataclass(frozen=True)
class QueryResults:
    scales: tuple[int, int]
    data: dict[int, dict[str, int]]  # per scale, how much of what was built
    pages: list[PageResult]
    repeat: int

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.pages)


def clients_for(world: World) -> dict[str, Client]:
    """A logged-in client per role that asks pages, and one without login (open data)."""
    return {
        REGISSEUR: client_for(world.regisseur),
        BEOORDELAAR: client_for(world.beoordelaar),
        BEHEERDER: client_for(world.beheerder),
        ANONIEM: Client(),
    }


def _measure_scale(
    scale: int, repeat: int
) -> tuple[dict[str, int], dict[tuple[str, str], Sample], dict[tuple[str, str], str]]:
    """Build one scale in a savepoint, measure every page, roll the data back."""
    with transaction.atomic():
        world = build(scale)
        clients = clients_for(world)
        gevraagd = pages(world)
        samples = {
            (page.name, page.role): measure(clients[page.role], page, repeat) for page in gevraagd
        }
        transaction.set_rollback(True)
    # The URL at scale 1 (ids differ between scales).
    return world.summary, samples, {(page.name, page.role): page.url for page in gevraagd}


def run_queries(repeat: int) -> QueryResults:
    small_scale, large_scale = SCALES
    small_data, small, urls = _measure_scale(small_scale, repeat)
    large_data, large, _ = _measure_scale(large_scale, repeat)
    if small.keys() != large.keys():
        raise RuntimeError("the two scales measured different pages")
    return QueryResults(
        scales=(small_scale, large_scale),
        data={small_scale: small_data, large_scale: large_data},
        pages=[
            PageResult(
                name=name,
                role=role,
                small=small[(name, role)],
                large=large[(name, role)],
                url=urls[(name, role)],
            )
            for name, role in small
        ],
        repeat=repeat,
    )
