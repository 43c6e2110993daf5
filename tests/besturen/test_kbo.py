"""KBO numbers: the check digits, and the import of a beheerder's file (`import_kbo`), which takes
the whole file or nothing and lists every bad line."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from applications.besturen.kbo import FICTIEF_KBO, controleer_kbo, kbo_klopt, normaliseer_kbo
from applications.besturen.models import LokaalBestuur, Regieverband

from ..factories import RegieverbandFactory

# Made-up numbers with valid check digits (97 - first eight mod 97), plainly not real.
A, B, C = "0000000196", "0000000295", "0000000394"


@pytest.mark.parametrize("nummer", [FICTIEF_KBO, A, B, C, "0123456749"])
def test_valid_check_digits(nummer):
    assert kbo_klopt(nummer)


@pytest.mark.parametrize("nummer", ["0000000098", "0000000000", "0123456789", "000000097", ""])
def test_wrong_check_digits_or_length(nummer):
    assert not kbo_klopt(nummer)


def test_the_ways_people_write_a_number():
    assert normaliseer_kbo("0000.000.097") == FICTIEF_KBO
    assert normaliseer_kbo("BE 0000 000 097") == FICTIEF_KBO
    assert normaliseer_kbo("000000097") == FICTIEF_KBO  # nine digits, from before 2005


def test_controleer_kbo_says_what_is_wrong():
    assert controleer_kbo("0000.000.097") == FICTIEF_KBO
    with pytest.raises(ValidationError, match="10 cijfers"):
        controleer_kbo("12345")
    with pytest.raises(ValidationError, match="controlegetal"):
        controleer_kbo("0000000098")


def test_the_model_refuses_a_number_with_wrong_check_digits(db):
    bestuur = LokaalBestuur.objects.get(nis_code="73107")
    bestuur.kbo_gemeente = "0000000098"
    with pytest.raises(ValidationError) as fout:
        bestuur.full_clean()
    assert "kbo_gemeente" in fout.value.message_dict


# --- The import ---------------------------------------------------------------------------------


def _bestand(tmp_path: Path, tekst: str) -> Path:
    pad = tmp_path / "kbo.csv"
    pad.write_text(tekst, encoding="utf-8")
    return pad


def _import(pad: Path) -> str:
    out = StringIO()
    call_command("import_kbo", str(pad), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_sets_gemeente_ocmw_and_verband_and_is_idempotent(tmp_path):
    verband = RegieverbandFactory.create(naam="KINA (test)")
    pad = _bestand(
        tmp_path,
        "soort;sleutel;kbo;naam\n"
        "gemeente;73107;0000.000.097;Maasmechelen\n"
        f"ocmw;73107;{A};OCMW Maasmechelen\n"
        f"regieverband;KINA (test);{B};\n",
    )
    uitvoer = _import(pad)
    assert "3 gewijzigd" in uitvoer
    bestuur = LokaalBestuur.objects.get(nis_code="73107")
    assert (bestuur.kbo_gemeente, bestuur.kbo_ocmw) == (FICTIEF_KBO, A)
    verband.refresh_from_db()
    assert verband.kbo == B
    assert "Geen wijzigingen; 3 nummers waren al zo." in _import(pad)


@pytest.mark.django_db
def test_import_refuses_the_whole_file_and_lists_every_bad_line(tmp_path):
    RegieverbandFactory.create(naam="KINA (test)")
    pad = _bestand(
        tmp_path,
        "soort,sleutel,kbo\n"
        f"gemeente,73107,{A}\n"  # fine, but not saved: the file has errors
        "gemeente,99999,0000000295\n"  # unknown NIS code
        "ocmw,73107,0000000098\n"  # wrong check digits
        "regieverband,Bestaat niet,0000000394\n"  # unknown verband
        "provincie,1,0000000394\n"  # unknown soort
        f"gemeente,73107,{B}\n",  # the same gemeente twice
    )
    with pytest.raises(CommandError) as fout:
        _import(pad)
    tekst = str(fout.value)
    assert "er is niets opgeslagen" in tekst
    for regel in ("regel 3:", "regel 4:", "regel 5:", "regel 6:", "regel 7:"):
        assert regel in tekst
    assert "regel 2:" not in tekst
    assert LokaalBestuur.objects.get(nis_code="73107").kbo_gemeente == ""


@pytest.mark.django_db
def test_one_number_for_two_organisations_is_refused(tmp_path):
    LokaalBestuur.objects.filter(nis_code="72018").update(kbo_gemeente=A)
    pad = _bestand(tmp_path, f"soort;sleutel;kbo\nocmw;73107;{A}\n")
    with pytest.raises(CommandError, match="hoort dan ook bij gemeente"):
        _import(pad)
    assert LokaalBestuur.objects.get(nis_code="73107").kbo_ocmw == ""


@pytest.mark.django_db
def test_two_organisations_may_swap_numbers_in_one_file(tmp_path):
    LokaalBestuur.objects.filter(nis_code="72018").update(kbo_gemeente=A)
    LokaalBestuur.objects.filter(nis_code="73107").update(kbo_gemeente=B)
    pad = _bestand(tmp_path, f"soort;sleutel;kbo\ngemeente;72018;{B}\ngemeente;73107;{A}\n")
    _import(pad)
    assert LokaalBestuur.objects.get(nis_code="72018").kbo_gemeente == B
    assert LokaalBestuur.objects.get(nis_code="73107").kbo_gemeente == A


@pytest.mark.django_db
def test_an_empty_number_clears_it(tmp_path):
    Regieverband.objects.create(naam="Vereniging (test)", rechtsvorm="welzijnsvereniging", kbo=C)
    _import(_bestand(tmp_path, "soort;sleutel;kbo\nregieverband;Vereniging (test);\n"))
    assert Regieverband.objects.get(naam="Vereniging (test)").kbo == ""


@pytest.mark.django_db
def test_a_file_without_the_columns_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Kolommen ontbreken: soort"):
        _import(_bestand(tmp_path, "nis;nummer\n73107;0000000097\n"))


@pytest.mark.django_db
def test_the_demo_trekker_carries_the_fictitious_number(db):
    from applications.beheer.demo import seed_demo

    seed_demo()
    maasland = Regieverband.objects.get(naam="Sociale Economie Maasland")
    assert maasland.trekker is not None
    assert maasland.trekker.kbo_gemeente == FICTIEF_KBO
