"""`manage.py bestanden_nakijken`: files without a row are found and, once old enough, removed;
rows whose file is gone make the check fail."""

from __future__ import annotations

import datetime
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.utils import timezone

from applications.aanvragen.models import Aanvraag, Bijlage
from applications.aanvragen.services import bijlage_add, bijlage_delete
from applications.accounts.models import User
from applications.beheer.bestanden import nakijken, verwijder_wezen
from applications.oproepen.models import BijlageType

from ..aanvraag_helpers import pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db

OUD = datetime.timedelta(hours=25)


@pytest.fixture
def bijlage(aanvraag: Aanvraag, regisseur: User) -> Bijlage:
    bijlagetype = BijlageType.objects.get(oproep=aanvraag.oproep, per_lid=False)
    return bijlage_add(
        aanvraag=aanvraag, by=regisseur, bijlagetype=bijlagetype, upload=pdf_upload()
    )


def wees(naam: str, *, leeftijd: datetime.timedelta) -> str:
    """A stored file without a row, last written `leeftijd` ago."""
    storage = storages["default"]
    naam = storage.save(naam, ContentFile(pdf_bytes()))
    tijd = (timezone.now() - leeftijd).timestamp()
    os.utime(storage.path(naam), (tijd, tijd))
    return naam


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("bestanden_nakijken", *args, stdout=out)
    return out.getvalue()


def test_files_without_a_row_are_told_apart_by_age(bijlage: Bijlage) -> None:
    oud = wees("bijlagen/1/afgebroken.pdf", leeftijd=OUD)
    nieuw = wees("bijlagen/1/bezig.pdf", leeftijd=datetime.timedelta(minutes=5))

    nazicht = nakijken()

    assert nazicht.bestanden == 3
    assert [w.naam for w in nazicht.wezen] == [oud]
    assert [w.naam for w in nazicht.recent] == [nieuw]
    assert nazicht.wezen[0].grootte == len(pdf_bytes())
    assert nazicht.ontbrekend == []
    assert [w.naam for w in nakijken(wachttijd=datetime.timedelta(minutes=1)).wezen] == [
        oud,
        nieuw,
    ]


def test_the_command_removes_only_old_files_without_a_row_and_only_when_told(
    bijlage: Bijlage,
) -> None:
    storage = storages["default"]
    oud = wees("indieningen/7/1-afgebroken.pdf", leeftijd=OUD)
    nieuw = wees("indieningen/7/2-bezig.pdf", leeftijd=datetime.timedelta(hours=1))

    out = command()
    assert "3 bestand(en) in de opslag." in out
    assert f"geen rij verwijst, ouder dan 24 uur (1, {len(pdf_bytes())} bytes):" in out
    assert oud in out and nieuw in out
    assert "Niets verwijderd; --verwijder verwijdert ze." in out
    assert storage.exists(oud)

    out = command("--verwijder")
    assert "Verwijderd: 1 bestand(en) waarnaar geen rij verwees" in out
    assert not storage.exists(oud)
    assert storage.exists(nieuw)
    assert storage.exists(bijlage.bestand.name)

    out = command("--verwijder", "--wachttijd", "0,5")
    assert "geen rij verwijst, ouder dan 0,5 uur" in out
    assert not storage.exists(nieuw)
    assert storage.exists(bijlage.bestand.name)
    assert "Elk bestand hoort bij een rij en omgekeerd." in command()


def test_a_file_a_row_came_to_refer_to_meanwhile_is_not_removed(bijlage: Bijlage) -> None:
    storage = storages["default"]
    oud = wees("bijlagen/1/teruggezet.pdf", leeftijd=OUD)
    nazicht = nakijken()
    Bijlage.objects.filter(pk=bijlage.pk).update(bestand=oud)

    assert verwijder_wezen(nazicht) == []
    assert storage.exists(oud)


def test_a_row_whose_file_is_gone_fails_the_check_with_its_name(bijlage: Bijlage) -> None:
    storages["default"].delete(bijlage.bestand.name)
    err = io.StringIO()

    assert nakijken().ontbrekend == [bijlage.bestand.name]
    with pytest.raises(CommandError, match=r"1 bestand\(en\) uit de database ontbreken"):
        call_command("bestanden_nakijken", stdout=io.StringIO(), stderr=err)
    assert "die in de opslag ontbreken (1):" in err.getvalue()
    assert bijlage.bestand.name in err.getvalue()


def test_nothing_is_removed_while_rows_miss_their_files(bijlage: Bijlage) -> None:
    """A wrong folder or bucket prefix makes every file look unreferenced: never guess then."""
    storage = storages["default"]
    oud = wees("bijlagen/1/afgebroken.pdf", leeftijd=OUD)
    storage.delete(bijlage.bestand.name)

    with pytest.raises(CommandError, match="Niets verwijderd: er ontbreken bestanden"):
        command("--verwijder")
    assert storage.exists(oud)


def test_nothing_is_removed_when_no_row_refers_to_any_file(db: None) -> None:
    """An empty (wrong) database makes every file look unreferenced."""
    oud = wees("bijlagen/1/afgebroken.pdf", leeftijd=OUD)

    with pytest.raises(CommandError, match="geen enkele rij in de database verwijst"):
        command("--verwijder")
    assert storages["default"].exists(oud)


def test_a_file_removed_during_the_check_is_skipped(
    bijlage: Bijlage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from applications.beheer import bestanden

    names = bestanden.storage_names
    monkeypatch.setattr(
        bestanden, "storage_names", lambda storage: [*names(storage), "bijlagen/1/weg.pdf"]
    )
    nazicht = nakijken(wachttijd=datetime.timedelta(0))
    assert nazicht.wezen == [] and nazicht.recent == []


def test_a_row_deleted_with_its_file_during_the_check_is_no_loss(
    bijlage: Bijlage, regisseur: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from applications.beheer import bestanden

    names = bestanden.storage_names

    def list_after_a_delete(storage: object) -> list[str]:
        bijlage_delete(bijlage=bijlage, by=regisseur)
        storages["default"].delete(bijlage.bestand.name)
        return names(storages["default"])

    monkeypatch.setattr(bestanden, "storage_names", list_after_a_delete)
    assert nakijken().ontbrekend == []


@pytest.mark.parametrize("waarde", ["abc", "0", "-3", "99999", "1.5.2"])
def test_a_waiting_time_that_is_no_sensible_number_of_hours_is_refused(waarde: str) -> None:
    with pytest.raises(CommandError, match="aantal uren"):
        command("--wachttijd", waarde)
