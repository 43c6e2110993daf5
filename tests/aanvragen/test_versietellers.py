"""The two counters the database raises itself (applications/aanvragen/versietellers.py) and the
completeness kept per version of them: a change made anywhere, also past the portal's services
(a queryset update, a bulk import, /beheer/), shows on the next page."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Concat
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.aanvragen import pages
from applications.aanvragen.completeness import Completeness, aanvraag_completeness
from applications.aanvragen.models import (
    Aanvraag,
    Actie,
    Bijlage,
    Indiening,
    Referentieversie,
    Statuswijziging,
    Verlenging,
)
from applications.aanvragen.oproepleden import leden_van_oproep
from applications.aanvragen.selectors import meerjarenplan
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.versietellers import REFERENTIE, installeer, onderdelen
from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.beoordeling.models import (
    Advies,
    Beoordeling,
    BeoordelingConcept,
    Beslissing,
    Beslissingsvoorstel,
    Notitie,
    Score,
    Vraag,
)
from applications.besturen.models import Bevolking, Lidmaatschap, LokaalBestuur, Regieverband
from applications.oproepen.models import Beleidsprioriteit, BijlageType, Oproep
from applications.uitvoering.models import Afsluiting
from tests.factories import AanvraagFactory, ActieFactory, RegieverbandFactory, UserFactory

pytestmark = pytest.mark.django_db


def inhoudsversie(aanvraag: Aanvraag) -> int:
    return Aanvraag.objects.values_list("inhoudsversie", flat=True).get(pk=aanvraag.pk)


def referentieversie() -> int:
    return Referentieversie.objects.filter(pk=1).values_list("waarde", flat=True).first() or 0


def bijlage_van(aanvraag: Aanvraag) -> Bijlage:
    return Bijlage.objects.create(
        aanvraag=aanvraag,
        bijlagetype=aanvraag.oproep.bijlagetypes.get(code="lso-vdab"),
        bestand="bijlagen/x.pdf",
        naam="lso.pdf",
        grootte=10,
        sha256="0" * 64,
    )


SCHRIJVEN_IN_DE_AANVRAAG: list[tuple[str, Callable[[Aanvraag], Any]]] = [
    ("save", lambda a: Aanvraag.objects.get(pk=a.pk).save()),
    ("queryset update", lambda a: Aanvraag.objects.filter(pk=a.pk).update(visie="Nieuw.")),
    ("action added", lambda a: ActieFactory.create(aanvraag=a)),
    (
        "actions bulk-added",
        lambda a: Actie.objects.bulk_create(
            [
                Actie(aanvraag=a, prioriteit=p, jaar=2030, titel="Bulk", budget=1, volgorde=9)
                for p in a.oproep.prioriteiten.all()
            ]
        ),
    ),
    ("actions changed", lambda a: Actie.objects.filter(aanvraag=a).update(titel="Anders")),
    ("actions deleted", lambda a: Actie.objects.filter(aanvraag=a).delete()),
    ("attachment added", bijlage_van),
    ("attachments deleted", lambda a: Bijlage.objects.filter(aanvraag=a).delete()),
    (
        "extension granted",
        lambda a: Verlenging.objects.create(aanvraag=a, tot=a.oproep.deadline, reden="Ziekte"),
    ),
    (
        "status step written",
        lambda a: Statuswijziging.objects.create(
            aanvraag=a, van=AanvraagStatus.CONCEPT, naar=AanvraagStatus.INGEDIEND
        ),
    ),
    (
        "sealed version written",
        lambda a: Indiening.objects.create(
            aanvraag=a, nummer=1, ingediend_op=a.oproep.deadline, inhoud_sha256="0" * 64
        ),
    ),
    # A table of the review, followed through `versietellers.volg` (beoordeling's ready).
    ("question asked", lambda a: Vraag.objects.create(aanvraag=a, tekst="Waarom?")),
    ("question answered", lambda a: Vraag.objects.filter(aanvraag=a).update(antwoord="Zo.")),
    # The rest of the review, shown on WSE's kept review page.
    ("a review", lambda a: _beoordeling(a)),
    (
        "a draft review",
        lambda a: BeoordelingConcept.objects.create(
            aanvraag=a, beoordelaar=_iemand(), gegevens={}, bewaard_op=timezone.now()
        ),
    ),
    ("a note", lambda a: Notitie.objects.create(aanvraag=a, tekst="Bellen.")),
    (
        "a proposed decision",
        lambda a: Beslissingsvoorstel.objects.create(
            aanvraag=a,
            uitkomst=AanvraagStatus.AFGEWEZEN,
            motivatie="Nee.",
            door=_iemand(),
            op=timezone.now(),
        ),
    ),
    (
        "a decision",
        lambda a: Beslissing.objects.create(
            aanvraag=a,
            uitkomst=AanvraagStatus.AFGEWEZEN,
            motivatie="Nee.",
            op=timezone.now(),
            brief_grootte=0,
        ),
    ),
    (
        "a dossier closed",
        lambda a: Afsluiting.objects.create(aanvraag=a, afgesloten_door=_iemand()),
    ),
    # Scores belong to the aanvraag through their review (`volg(..., via=...)`).
    (
        "a score",
        lambda a: Score.objects.create(
            beoordeling=_beoordeling(a),
            prioriteit=a.oproep.prioriteiten.earliest("pk"),
            score=3,
            motivatie="Goed.",
        ),
    ),
    ("a score changed", lambda a: Score.objects.filter(beoordeling__aanvraag=a).update(score=4)),
    ("a score removed", lambda a: Score.objects.filter(beoordeling__aanvraag=a).delete()),
]


def _iemand() -> User:
    """A user without a role (making one leaves the reference alone)."""
    return UserFactory.create()


def _beoordeling(aanvraag: Aanvraag) -> Beoordeling:
    return Beoordeling.objects.create(
        aanvraag=aanvraag, beoordelaar=_iemand(), advies=Advies.GOEDKEUREN, motivatie="Goed."
    )


def test_every_write_of_the_aanvraag_its_actions_and_attachments_raises_its_version(
    aanvraag: Aanvraag,
) -> None:
    ander = AanvraagFactory.create(oproep=aanvraag.oproep)
    ActieFactory.create(aanvraag=aanvraag)
    for wat, schrijf in SCHRIJVEN_IN_DE_AANVRAAG:
        voor, ander_voor = inhoudsversie(aanvraag), inhoudsversie(ander)
        schrijf(aanvraag)
        assert inhoudsversie(aanvraag) > voor, wat
        assert inhoudsversie(ander) == ander_voor, f"{wat}: another aanvraag's version moved"


def test_a_save_from_an_old_copy_in_memory_does_not_take_the_version_back(
    aanvraag: Aanvraag,
) -> None:
    oud = Aanvraag.objects.get(pk=aanvraag.pk)
    ActieFactory.create(aanvraag=aanvraag)
    ActieFactory.create(aanvraag=aanvraag)
    na_acties = inhoudsversie(aanvraag)
    assert oud.inhoudsversie < na_acties
    oud.save()  # writes its own, older inhoudsversie
    assert inhoudsversie(aanvraag) == na_acties + 1


def test_making_the_triggers_again_changes_nothing(aanvraag: Aanvraag) -> None:
    """`migrate` remakes them every time: one write still raises each counter once."""
    installeer(connection)
    installeer(connection)
    voor, referentie = inhoudsversie(aanvraag), referentieversie()
    ActieFactory.create(aanvraag=aanvraag)
    Oproep.objects.filter(pk=aanvraag.oproep_id).update(min_inwoners=1)
    assert inhoudsversie(aanvraag) == voor + 1
    assert referentieversie() == referentie + 1


def _verband_weg(aanvraag: Aanvraag) -> None:
    Lidmaatschap.objects.filter(regieverband=aanvraag.regieverband).update(
        tot=datetime.date(2029, 12, 31)
    )


def _gebruikers() -> QuerySet[User]:
    UserFactory.create()
    return User.objects.all()


SCHRIJVEN_IN_DE_REFERENTIE: list[tuple[str, Callable[[Aanvraag], Any]]] = [
    ("call", lambda a: Oproep.objects.filter(pk=a.oproep_id).update(min_inwoners=10_000)),
    (
        "priority",
        lambda a: Beleidsprioriteit.objects.filter(oproep=a.oproep).update(titel="Anders"),
    ),
    (
        "attachment type",
        lambda a: BijlageType.objects.filter(oproep=a.oproep).update(verplicht=False),
    ),
    ("bestuur", lambda a: LokaalBestuur.objects.update(naam="Hernoemd")),
    (
        "population",
        lambda a: Bevolking.objects.create(
            bestuur=LokaalBestuur.objects.earliest("pk"), referentiejaar=2029, inwoners=5_000
        ),
    ),
    ("verband", lambda a: Regieverband.objects.filter(pk=a.regieverband_id).update(naam="X")),
    ("membership", _verband_weg),
    ("another verband's aanvraag", lambda a: AanvraagFactory.create(oproep=a.oproep)),
    (
        "an aanvraag withdrawn",
        lambda a: Aanvraag.objects.exclude(pk=a.pk).update(status=AanvraagStatus.INGETROKKEN),
    ),
    (
        "an aanvraag taken back",
        lambda a: Aanvraag.objects.exclude(pk=a.pk).update(status=AanvraagStatus.CONCEPT),
    ),
    ("an aanvraag removed", lambda a: Aanvraag.objects.exclude(pk=a.pk).delete()),
    # Pages name who submitted an aanvraag.
    ("a user's name", lambda a: _gebruikers().update(last_name="Anders")),
    ("a user's address", lambda a: _gebruikers().update(email=Concat(F("email"), Value(".be")))),
    # WSE's pages list the active reviewers.
    ("a user deactivated", lambda a: _gebruikers().update(is_active=False)),
    (
        "a role given",
        lambda a: UserFactory.create().groups.add(Group.objects.get(name=Rol.BEOORDELAAR.value)),
    ),
    ("a role taken", lambda a: User.groups.through.objects.all().delete()),
]


def test_every_write_of_what_completeness_reads_besides_the_aanvraag_raises_the_reference(
    aanvraag: Aanvraag,
) -> None:
    for wat, schrijf in SCHRIJVEN_IN_DE_REFERENTIE:
        voor = referentieversie()
        schrijf(aanvraag)
        assert referentieversie() > voor, wat


def test_what_regisseurs_do_all_day_leaves_the_reference_alone(aanvraag: Aanvraag) -> None:
    """The reference is one row that every write of it locks: the deadline hour's saves and
    submissions must not queue on it (only withdrawing changes which aanvragen count)."""
    voor = referentieversie()
    for _wat, schrijf in SCHRIJVEN_IN_DE_AANVRAAG:
        schrijf(aanvraag)
    Aanvraag.objects.filter(pk=aanvraag.pk).update(status=AanvraagStatus.INGEDIEND)
    _gebruikers().update(last_login=timezone.now())  # logging in
    assert referentieversie() == voor


def _completeness(client: Client, aanvraag: Aanvraag, pagina: str = "teksten") -> Completeness:
    response = client.get(f"/aanvragen/{aanvraag.pk}/{pagina}/")
    assert response.status_code == 200
    completeness = response.context["completeness"]
    assert isinstance(completeness, Completeness)
    return completeness


def _labels_ok(completeness: Completeness) -> dict[str, bool]:
    return {check.label: check.ok for check in completeness.checks}


def test_the_kept_completeness_follows_writes_past_the_services(
    als_regisseur: Client, aanvraag: Aanvraag
) -> None:
    eerst = _labels_ok(_completeness(als_regisseur, aanvraag))
    assert eerst["Minstens één lid van het regieverband"]
    assert not eerst["WSE-LR1 in 2030: minstens 1 actie"]
    assert not eerst["Omgevingsanalyse"]

    Actie.objects.bulk_create(
        Actie(aanvraag=aanvraag, prioriteit=p, jaar=2030, titel="Bulk", budget=1, volgorde=1)
        for p in aanvraag.oproep.prioriteiten.all()
    )
    Aanvraag.objects.filter(pk=aanvraag.pk).update(omgevingsanalyse="Geïmporteerd.")
    daarna = _labels_ok(_completeness(als_regisseur, aanvraag, "meerjarenplan"))
    assert daarna["WSE-LR1 in 2030: minstens 1 actie"]
    assert daarna["Omgevingsanalyse"]

    _verband_weg(aanvraag)  # as a beheerder or a merger ends the memberships
    assert not _labels_ok(_completeness(als_regisseur, aanvraag))[
        "Minstens één lid van het regieverband"
    ]

    Oproep.objects.filter(pk=aanvraag.oproep_id).update(min_acties_per_prioriteit_per_jaar=2)
    assert not _labels_ok(_completeness(als_regisseur, aanvraag))[
        "WSE-LR1 in 2030: minstens 2 acties"
    ]


def test_an_overlap_appears_when_another_verband_applies_and_goes_when_it_withdraws(
    als_regisseur: Client, aanvraag: Aanvraag
) -> None:
    assert _completeness(als_regisseur, aanvraag).warnings == []
    bestuur = aanvraag.regieverband.lidmaatschappen.get().bestuur
    ander = RegieverbandFactory.create(naam="Buurverband (test)")
    Lidmaatschap.objects.create(regieverband=ander, bestuur=bestuur, van=datetime.date(2020, 1, 1))
    assert _completeness(als_regisseur, aanvraag).warnings == []  # no aanvraag of theirs yet
    andere_aanvraag = AanvraagFactory.create(regieverband=ander, oproep=aanvraag.oproep)
    assert any("Buurverband" in w for w in _completeness(als_regisseur, aanvraag).warnings)
    Aanvraag.objects.filter(pk=andere_aanvraag.pk).update(status=AanvraagStatus.INGETROKKEN)
    assert _completeness(als_regisseur, aanvraag).warnings == []


def test_the_second_view_reads_the_kept_completeness(
    als_regisseur: Client, aanvraag: Aanvraag
) -> None:
    pad = f"/aanvragen/{aanvraag.pk}/teksten/"
    als_regisseur.get(pad)
    with CaptureQueriesContext(connection) as eerste:
        als_regisseur.get(pad)
    ActieFactory.create(aanvraag=aanvraag)
    with CaptureQueriesContext(connection) as na_wijziging:
        als_regisseur.get(pad)
    with CaptureQueriesContext(connection) as bewaard:
        als_regisseur.get(pad)

    def leest_acties(queries: CaptureQueriesContext) -> bool:
        return any('FROM "aanvragen_actie"' in q["sql"] for q in queries.captured_queries)

    assert not leest_acties(eerste)
    assert leest_acties(na_wijziging)
    assert not leest_acties(bewaard)
    assert len(bewaard) < len(na_wijziging)


def test_the_kept_completeness_speaks_the_language_of_the_request(
    als_regisseur: Client, aanvraag: Aanvraag
) -> None:
    assert "Omgevingsanalyse" in _labels_ok(_completeness(als_regisseur, aanvraag))
    als_regisseur.post("/i18n/setlang/", {"language": "en", "next": "/"})
    engels = _labels_ok(_completeness(als_regisseur, aanvraag))
    assert "Omgevingsanalyse" not in engels
    assert "Context analysis" in engels


def test_the_drawn_matrix_follows_every_change_and_the_deadline(
    als_regisseur: Client, aanvraag: Aanvraag, monkeypatch: pytest.MonkeyPatch
) -> None:
    pad = f"/aanvragen/{aanvraag.pk}/meerjarenplan/"
    actie = ActieFactory.create(aanvraag=aanvraag, titel="Eerste titel")
    assert "Eerste titel" in als_regisseur.get(pad).content.decode()

    Actie.objects.filter(pk=actie.pk).update(titel="Titel uit een import")
    with CaptureQueriesContext(connection) as getekend:
        html = als_regisseur.get(pad).content.decode()
    assert "Titel uit een import" in html and "Eerste titel" not in html
    assert any('FROM "aanvragen_actie"' in q["sql"] for q in getekend.captured_queries)

    with CaptureQueriesContext(connection) as bewaard:
        assert "Titel uit een import" in als_regisseur.get(pad).content.decode()
    assert not any('FROM "aanvragen_actie"' in q["sql"] for q in bewaard.captured_queries)

    Beleidsprioriteit.objects.filter(oproep=aanvraag.oproep, code="WSE-LR2").update(
        titel="Hernoemde prioriteit"
    )
    assert "Hernoemde prioriteit" in als_regisseur.get(pad).content.decode()
    assert "Actie toevoegen" in als_regisseur.get(pad).content.decode()

    # Past the deadline nothing changed in the database, yet the matrix has no buttons any more.
    na_de_deadline = aanvraag.oproep.deadline + datetime.timedelta(days=1)
    monkeypatch.setattr(pages, "timezone", SimpleNamespace(now=lambda: na_de_deadline))
    html = als_regisseur.get(pad).content.decode()
    assert "Titel uit een import" in html and "Actie toevoegen" not in html

    monkeypatch.undo()
    als_regisseur.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Add action" in als_regisseur.get(pad).content.decode()


GEVOLGD = {"aanvragen_aanvraag", *onderdelen(), *REFERENTIE}


def _tabellen(queries: CaptureQueriesContext) -> set[str]:
    return {
        tabel
        for query in queries.captured_queries
        for tabel in re.findall(r'(?:FROM|JOIN) "([a-z_]+)"', query["sql"])
    }


def test_what_is_kept_reads_only_tables_the_counters_follow(aanvraag: Aanvraag) -> None:
    """Kept under the two counters, the completeness and the matrix must not read a table whose
    writes raise neither: a rule that reads more would show stale results until something else
    changed. The tables are those of the SQL they send; every rule runs (a call with a minimum
    population and one verband per bestuur, per-member attachments, members, actions)."""
    Oproep.objects.filter(pk=aanvraag.oproep_id).update(
        min_inwoners=10_000, een_verband_per_bestuur=True
    )
    ActieFactory.create(aanvraag=aanvraag)
    bijlage_van(aanvraag)
    vers = Aanvraag.objects.select_related("regieverband", "oproep").get(pk=aanvraag.pk)
    with CaptureQueriesContext(connection) as queries:
        completeness = aanvraag_completeness(vers)
        plan = meerjarenplan(vers)
    assert completeness.checks and plan.rows
    gelezen = _tabellen(queries)
    assert {"aanvragen_actie", "besturen_lidmaatschap", "besturen_bevolking"} <= gelezen
    assert gelezen <= GEVOLGD, sorted(gelezen - GEVOLGD)


def test_the_kept_members_of_a_call_follow_memberships_and_aanvragen(
    als_beoordelaar: Client, oproep: Oproep
) -> None:
    """WSE's queue and review page read every verband's members and the overlaps of the call
    from what is kept per reference version: a membership ended past the services, another
    verband applying with the same bestuur, and its withdrawal all show on the next view."""
    eerste = AanvraagFactory.create(oproep=oproep, ingediend=True)
    bestuur = LokaalBestuur.objects.create(nis_code="99123", naam="Verzonnen Gedeeldgem")
    Lidmaatschap.objects.create(
        regieverband=eerste.regieverband, bestuur=bestuur, van=datetime.date(2020, 1, 1)
    )
    wachtrij = f"/beoordeling/?oproep={oproep.slug}"
    review = f"/beoordeling/{eerste.pk}/"
    assert "Verzonnen Gedeeldgem" in als_beoordelaar.get(wachtrij).content.decode()
    assert leden_van_oproep(oproep).overlaps_van(eerste.regieverband) == []

    buur = RegieverbandFactory.create(naam="Buurverband (test)")
    Lidmaatschap.objects.create(regieverband=buur, bestuur=bestuur, van=datetime.date(2020, 1, 1))
    tweede = AanvraagFactory.create(regieverband=buur, oproep=oproep, ingediend=True)
    assert "Buurverband (test)" in als_beoordelaar.get(review).content.decode()
    assert [
        (b.naam, [v.naam for v in vs])
        for b, vs in leden_van_oproep(oproep).overlaps_van(eerste.regieverband)
    ] == [("Verzonnen Gedeeldgem", ["Buurverband (test)"])]

    Aanvraag.objects.filter(pk=tweede.pk).update(status=AanvraagStatus.INGETROKKEN)
    assert leden_van_oproep(oproep).overlaps_van(eerste.regieverband) == []
    assert "Buurverband (test)" not in als_beoordelaar.get(review).content.decode()

    Lidmaatschap.objects.filter(bestuur=bestuur).update(tot=datetime.date(2029, 12, 31))
    assert "Verzonnen Gedeeldgem" not in als_beoordelaar.get(wachtrij).content.decode()


def test_the_kept_members_of_a_call_read_only_followed_tables(aanvraag: Aanvraag) -> None:
    with CaptureQueriesContext(connection) as queries:
        stand = leden_van_oproep(aanvraag.oproep)
    assert stand.leden(aanvraag.regieverband_id)
    gelezen = _tabellen(queries)
    toegestaan = GEVOLGD | {"aanvragen_referentieversie"}
    assert gelezen <= toegestaan, sorted(gelezen - toegestaan)
    with CaptureQueriesContext(connection) as bewaard:
        assert leden_van_oproep(aanvraag.oproep).leden(aanvraag.regieverband_id)
    assert len(bewaard) == 1  # the reference version only
