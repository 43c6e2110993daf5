import re
from io import StringIO

import pytest
from django.core.management import call_command

from applications.constants import CENTRUMSTEDEN_NIS, Provincie
from applications.models import Beleidsprioriteit, LokaalBestuur, Oproep

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
