"""Backup and restore (issue 7): `manage.py backup` and `manage.py restore`.

A restore into an empty database gives the same rows (every table of every installed model, every
column, ordered by primary key) and files with the same SHA-256. The restore runs as its own
process, as an operator runs it, against a second database of the same PostgreSQL cluster.
Data must be committed for pg_dump to see it: these tests are transactional.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg2 import sql

from applications.aanvragen.models import Aanvraag, Bijlage, Indiening
from applications.aanvragen.submission import aanvraag_submit
from applications.accounts.models import User
from applications.beheer import backup

from ..aanvraag_helpers import fill_everything
from ..conftest import client_for

# pg_dump only sees committed rows. serialized_rollback, as every transactional test here: a
# transactional test without it empties the tables and recreates the content types after itself,
# and the next serialized test then restores them a second time (duplicate key).
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# --- Helpers ------------------------------------------------------------------------------------


def _connect(database: str | None = None) -> Any:
    params = connection.get_connection_params()
    if database is not None:
        params["dbname"] = database
    return psycopg2.connect(**params)


@pytest.fixture
def lege_database() -> Iterator[str]:
    """A second, empty database on the cluster of the test database, dropped afterwards."""
    naam = f"herstel_{uuid.uuid4().hex[:12]}"
    beheer = _connect("postgres")
    beheer.autocommit = True
    with beheer.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(naam)))
    try:
        yield naam
    finally:
        with beheer.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(naam))
            )
        beheer.close()


def _database_url(naam: str) -> str:
    instellingen = connection.settings_dict
    gebruiker = urllib.parse.quote(instellingen["USER"] or "", safe="")
    if instellingen["PASSWORD"]:
        gebruiker += ":" + urllib.parse.quote(instellingen["PASSWORD"], safe="")
    host = urllib.parse.quote(instellingen["HOST"] or "", safe="")
    poort = f":{instellingen['PORT']}" if instellingen["PORT"] else ""
    return f"postgres://{gebruiker}@{host}{poort}/{naam}"


def _restore(backupmap: Path, database: str, media: Path, *extra: str) -> Any:
    """`python manage.py restore` in a process of its own, on `database` and `media`."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(database),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(media),
    }
    env.pop("REGIEROL_S3_BUCKET", None)
    manage = str(settings.BASE_DIR / "manage.py")
    return subprocess.run(
        [sys.executable, manage, "restore", "--map", str(backupmap), *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def _rows(database: str) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Every row of every installed model's table (and many-to-many table), all columns, by pk."""
    tabellen = {}
    conn = _connect(database)
    try:
        with conn.cursor() as cursor:
            for model in apps.get_models(include_auto_created=True):
                meta = model._meta
                if meta.proxy or not meta.managed or meta.db_table in tabellen:
                    continue
                cursor.execute(
                    sql.SQL("SELECT * FROM {} ORDER BY {}").format(
                        sql.Identifier(meta.db_table), sql.Identifier(meta.pk.column)
                    )
                )
                kolommen = [kolom.name for kolom in cursor.description]
                tabellen[meta.db_table] = (kolommen, cursor.fetchall())
    finally:
        conn.close()
    return tabellen


def _sequences(database: str) -> dict[str, int | None]:
    conn = _connect(database)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences")
            return {f"{schema}.{naam}": waarde for schema, naam, waarde in cursor.fetchall()}
    finally:
        conn.close()


def _tables(database: str) -> list[str]:
    conn = _connect(database)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            return [naam for (naam,) in cursor.fetchall()]
    finally:
        conn.close()


def _hashes(root: Path) -> dict[str, str]:
    return {
        pad.relative_to(root).as_posix(): hashlib.sha256(pad.read_bytes()).hexdigest()
        for pad in sorted(root.rglob("*"))
        if pad.is_file()
    }


def _backup(backupmap: Path) -> str:
    out = io.StringIO()
    call_command("backup", map=backupmap, stdout=out)
    return out.getvalue()


def _submitted(aanvraag: Aanvraag, regisseur: User) -> Indiening:
    fill_everything(aanvraag, regisseur)
    aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    indiening = aanvraag.indieningen.get()
    return indiening


# --- A restore gives the same rows and files ----------------------------------------------------


@transactional
def test_restore_into_an_empty_database_gives_the_same_rows_and_files(
    aanvraag, regisseur, beoordelaar, lege_database, tmp_path
):
    indiening = _submitted(aanvraag, regisseur)
    bijlage = Bijlage.objects.filter(aanvraag=aanvraag).first()
    assert bijlage is not None
    client_for(beoordelaar)  # a confirmed TOTP device and a session row
    bron_media = tmp_path / "private"
    backupmap = tmp_path / "backup"

    uitvoer = _backup(backupmap)

    assert "Backup klaar" in uitvoer
    assert backupmap.stat().st_mode & 0o777 == 0o700
    manifest = json.loads((backupmap / "manifest.json").read_text(encoding="utf-8"))
    # The manifest's hashes are the ones the portal sealed.
    assert manifest["bestanden"][indiening.pdf.name]["sha256"] == indiening.pdf_sha256
    assert manifest["bestanden"][bijlage.bestand.name]["sha256"] == bijlage.sha256
    assert manifest["tabellen"]["public.aanvragen_indiening"] == 1
    assert "aanvragen" in manifest["migraties"]
    assert _hashes(backupmap / "bestanden") == _hashes(bron_media)

    doel_media = tmp_path / "hersteld"
    hersteld = _restore(backupmap, lege_database, doel_media)

    assert hersteld.returncode == 0, hersteld.stderr
    assert "Hersteld uit" in hersteld.stdout
    bron_rijen = _rows(connection.settings_dict["NAME"])
    assert bron_rijen["aanvragen_indiening"][1]  # the comparison compares something
    assert _rows(lege_database) == bron_rijen
    assert _sequences(lege_database) == _sequences(connection.settings_dict["NAME"])
    bron_hashes = _hashes(bron_media)
    assert {indiening.pdf.name, bijlage.bestand.name} <= set(bron_hashes)
    assert _hashes(doel_media) == bron_hashes

    # A second restore over it is refused without --ja, and replaces it with --ja.
    nogmaals = _restore(backupmap, lege_database, doel_media)
    assert nogmaals.returncode != 0
    assert "is niet leeg" in nogmaals.stderr
    assert "--ja" in nogmaals.stderr
    vervangen = _restore(backupmap, lege_database, doel_media, "--ja")
    assert vervangen.returncode == 0, vervangen.stderr
    assert _rows(lege_database) == bron_rijen
    assert _hashes(doel_media) == bron_hashes


@transactional
def test_a_backup_taken_while_the_portal_writes_matches_its_manifest(
    regisseur, lege_database, monkeypatch, tmp_path
):
    """The manifest's row counts come from the snapshot that pg_dump dumps: a row committed
    while pg_dump starts is in neither, and the restore's check against the manifest holds."""
    echte_pg_dump = shutil.which("pg_dump")
    bin_map = tmp_path / "bin"
    bin_map.mkdir()
    nep = bin_map / "pg_dump"
    nep.write_text(
        "#!/bin/sh\n"
        "psql -q -v ON_ERROR_STOP=1 "
        "-c \"INSERT INTO auth_group (name) VALUES ('Tijdens backup')\"\n"
        f'exec {echte_pg_dump} "$@"\n'
    )
    nep.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_map}{os.pathsep}{os.environ['PATH']}")
    backupmap = tmp_path / "backup"

    _backup(backupmap)

    assert Group.objects.filter(name="Tijdens backup").exists()  # committed during the backup
    manifest = json.loads((backupmap / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tabellen"]["public.auth_group"] == Group.objects.count() - 1
    hersteld = _restore(backupmap, lege_database, tmp_path / "hersteld")
    assert hersteld.returncode == 0, hersteld.stderr
    rijen = _rows(lege_database)["auth_group"]
    assert "Tijdens backup" not in [rij[rijen[0].index("name")] for rij in rijen[1]]


# --- Refusals -----------------------------------------------------------------------------------


@transactional
def test_restore_refuses_a_tampered_file_and_names_it(aanvraag, regisseur, lege_database, tmp_path):
    fill_everything(aanvraag, regisseur)
    bijlage = Bijlage.objects.filter(aanvraag=aanvraag).first()
    assert bijlage is not None
    backupmap = tmp_path / "backup"
    _backup(backupmap)
    kopie = backupmap / "bestanden" / bijlage.bestand.name
    inhoud = bytearray(kopie.read_bytes())
    inhoud[-10] ^= 0x01
    kopie.write_bytes(bytes(inhoud))

    doel_media = tmp_path / "hersteld"
    geweigerd = _restore(backupmap, lege_database, doel_media)

    assert geweigerd.returncode != 0
    assert f"bestanden/{bijlage.bestand.name} verschilt van het manifest" in geweigerd.stderr
    assert "er is niets hersteld" in geweigerd.stderr
    assert _tables(lege_database) == []
    assert not doel_media.exists()


@transactional
@pytest.mark.parametrize("schade", ["dump", "ontbrekend", "extra"])
def test_restore_checks_the_whole_folder_before_it_touches_the_database(
    aanvraag, regisseur, tmp_path, schade
):
    fill_everything(aanvraag, regisseur)
    bijlage = Bijlage.objects.filter(aanvraag=aanvraag).first()
    assert bijlage is not None
    backupmap = tmp_path / "backup"
    _backup(backupmap)
    if schade == "dump":
        with (backupmap / "database.dump").open("ab") as dump:
            dump.write(b"\0")
        verwacht = "database.dump verschilt van het manifest"
    elif schade == "ontbrekend":
        (backupmap / "bestanden" / bijlage.bestand.name).unlink()
        verwacht = f"bestanden/{bijlage.bestand.name} ontbreekt"
    else:
        (backupmap / "bestanden" / "untergeschoben.pdf").write_bytes(b"%PDF-1.7")
        verwacht = "bestanden/untergeschoben.pdf staat niet in het manifest"

    # Run against the test database itself, which is not empty: the folder is checked first.
    with pytest.raises(CommandError, match="beschadigd of gewijzigd") as fout:
        call_command("restore", map=backupmap, ja=True, stdout=io.StringIO())

    assert verwacht in str(fout.value)
    assert Bijlage.objects.filter(pk=bijlage.pk).exists()


@transactional
def test_restore_refuses_a_manifest_with_a_path_out_of_the_folder(regisseur, tmp_path):
    backupmap = tmp_path / "backup"
    _backup(backupmap)
    manifest = json.loads((backupmap / "manifest.json").read_text(encoding="utf-8"))
    manifest["bestanden"]["../../buiten.pdf"] = {"sha256": "0" * 64, "grootte": 1}
    (backupmap / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    with pytest.raises(CommandError, match=r"Ongeldige bestandsnaam in de backup: '\.\./\.\./"):
        call_command("restore", map=backupmap, stdout=io.StringIO())


@transactional
def test_restore_refuses_a_backup_of_a_newer_portal(regisseur, tmp_path):
    backupmap = tmp_path / "backup"
    _backup(backupmap)
    manifest = json.loads((backupmap / "manifest.json").read_text(encoding="utf-8"))
    manifest["migraties"]["aanvragen"].append("9999_uit_de_toekomst")
    (backupmap / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    with pytest.raises(CommandError, match="nieuwere versie") as fout:
        call_command("restore", map=backupmap, stdout=io.StringIO())

    assert "aanvragen.9999_uit_de_toekomst" in str(fout.value)


@transactional
def test_restore_refuses_a_backup_from_before_the_split_into_apps(regisseur, tmp_path):
    backupmap = tmp_path / "backup"
    _backup(backupmap)
    manifest = json.loads((backupmap / "manifest.json").read_text(encoding="utf-8"))
    manifest["migraties"]["applications"] = ["0001_initial", "0008_auditlog"]
    (backupmap / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    with pytest.raises(CommandError, match="nieuwere versie") as fout:
        call_command("restore", map=backupmap, stdout=io.StringIO())

    assert "applications.0008_auditlog" in str(fout.value)
    assert "opsplitsing in apps" in str(fout.value)


@transactional
def test_backup_fails_and_names_a_file_the_database_refers_to_but_storage_lacks(
    aanvraag, regisseur, tmp_path
):
    fill_everything(aanvraag, regisseur)
    bijlage = Bijlage.objects.filter(aanvraag=aanvraag).first()
    assert bijlage is not None
    storages["default"].delete(bijlage.bestand.name)
    backupmap = tmp_path / "backup"

    with pytest.raises(CommandError, match="ontbreken in de opslag") as fout:
        _backup(backupmap)

    assert bijlage.bestand.name in str(fout.value)
    manifest = json.loads((backupmap / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["ontbrekende_bestanden"] == [bijlage.bestand.name]


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    backupmap = tmp_path / "backup"
    backupmap.mkdir()
    (backupmap / "iets.txt").write_text("al hier", encoding="utf-8")

    with pytest.raises(CommandError, match="bestaat al en is niet leeg"):
        _backup(backupmap)

    assert [p.name for p in backupmap.iterdir()] == ["iets.txt"]


def test_backup_refuses_sqlite(monkeypatch, tmp_path):
    monkeypatch.setattr(connection, "vendor", "sqlite")

    with pytest.raises(CommandError, match="alleen met PostgreSQL"):
        _backup(tmp_path / "backup")

    assert not (tmp_path / "backup").exists()


def test_backup_says_when_pg_dump_is_missing(monkeypatch, tmp_path):
    leeg = tmp_path / "bin"
    leeg.mkdir()
    monkeypatch.setenv("PATH", str(leeg))

    with pytest.raises(CommandError, match="pg_dump is niet gevonden"):
        _backup(tmp_path / "backup")


@pytest.mark.django_db
def test_a_failing_pg_dump_is_reported_and_leaves_no_folder(monkeypatch, tmp_path):
    bin_map = tmp_path / "bin"
    bin_map.mkdir()
    nep = bin_map / "pg_dump"
    nep.write_text("#!/bin/sh\necho 'pg_dump: error: server version mismatch' >&2\nexit 1\n")
    nep.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_map}{os.pathsep}{os.environ['PATH']}")

    with pytest.raises(CommandError, match="pg_dump is mislukt:\npg_dump: error: server version"):
        _backup(tmp_path / "backup")

    assert not (tmp_path / "backup").exists()


def test_default_folder_is_named_after_the_brussels_time(settings):
    import datetime

    moment = datetime.datetime(2026, 1, 15, 23, 30, 5, tzinfo=datetime.UTC)

    assert backup.default_map(moment) == (
        Path(settings.BASE_DIR) / "backups" / "regierol-20260116-003005"
    )


def test_password_reaches_pg_dump_only_through_the_environment(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "zeer-geheim")
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", {"sslmode": "require"})

    env = backup.libpq_env()

    assert env["PGPASSWORD"] == "zeer-geheim"
    assert env["PGSSLMODE"] == "require"
    assert env["PGDATABASE"] == connection.settings_dict["NAME"]


# --- S3-compatible storage ----------------------------------------------------------------------


@transactional
def test_backup_and_restore_of_files_in_s3_storage(settings, regisseur, tmp_path):
    """The files go through Django's storage API: an S3 bucket (moto) works like the disk. The
    restore with --ja into the test database itself brings back a deleted and a changed object."""
    from moto import mock_aws

    with mock_aws():
        import boto3

        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="regierol-test")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "regierol-test",
                    "region_name": "us-east-1",
                    "access_key": "test",
                    "secret_key": "test",
                    "location": "prive",
                    "file_overwrite": False,
                },
            },
        }
        opslag = storages["default"]
        inhoud = {
            "bijlagen/1/een.pdf": b"%PDF-1.7 een",
            "indieningen/1/1-twee.pdf": b"%PDF-1.7 twee",
            "los.txt": b"los bestand",
        }
        for naam, data in inhoud.items():
            assert opslag.save(naam, ContentFile(data)) == naam
        backupmap = tmp_path / "backup"

        _backup(backupmap)

        manifest = json.loads((backupmap / "manifest.json").read_text(encoding="utf-8"))
        assert {naam: info["sha256"] for naam, info in manifest["bestanden"].items()} == {
            naam: hashlib.sha256(data).hexdigest() for naam, data in inhoud.items()
        }
        assert (backupmap / "bestanden" / "bijlagen" / "1" / "een.pdf").read_bytes() == (
            inhoud["bijlagen/1/een.pdf"]
        )

        opslag.delete("bijlagen/1/een.pdf")
        opslag.delete("los.txt")
        opslag.save("los.txt", ContentFile(b"intussen gewijzigd"))
        uit = io.StringIO()
        call_command("restore", map=backupmap, ja=True, stdout=uit)

        assert "Hersteld uit" in uit.getvalue()
        for naam, data in inhoud.items():
            with opslag.open(naam, "rb") as bestand:
                assert bestand.read() == data
    assert User.objects.filter(pk=regisseur.pk).exists()


def test_restore_command_needs_a_folder():
    with pytest.raises(CommandError, match="--map"):
        call_command("restore")
