"""Two counters the database raises itself, so that what is computed from an aanvraag can be kept
until something it reads changes, whoever writes it (a page, /beheer/, a command, an import, a
merger):

- `Aanvraag.inhoudsversie`: every write of the aanvraag's row, its actions, its attachments, its
  extensions, its status history and its sealed versions (with the state of their PDFs), and of
  the rows an app above this one registers with `volg` (the review: questions, reviews and their
  scores, notes, proposed and final decisions);
- `Referentieversie.waarde` (one row): every write of calls, priorities, attachment types,
  besturen, population, verbanden and memberships, a user's name, address or active flag
  changed or their roles (who submitted shows by name; WSE's pages list the reviewers), and an
  aanvraag made, removed, withdrawn or taken back (which aanvragen count decides overlaps
  between verbanden).

`stand()` and `met_oproepstand()` sum the first over all aanvragen, or over a call's, for what
is kept of many aanvragen at once (WSE's queue, a call's decisions): counters that only rise,
with every aanvraag made or removed raising the reference, give a sum that never comes back.

The triggers are (re)made after every `migrate` (`installeer`, from the app's post_migrate), on
PostgreSQL and on SQLite: SQLite rebuilds a table to change it and drops its triggers with it,
so a trigger made once by a migration would be lost there at the next change of such a table.

Whatever is kept under these counters may read only the tables they follow: a test
(tests/aanvragen/test_versietellers.py) reads the completeness, the matrix and the kept pages and
fails on any other table, so a new rule that reads more must add its table here first.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from applications.aanvragen.models import Aanvraag, Referentieversie

ONDERDELEN = (
    "aanvragen_actie",
    "aanvragen_bijlage",
    "aanvragen_verlenging",
    "aanvragen_statuswijziging",
    "aanvragen_indiening",
)
# Tables of apps above this one whose rows belong to one aanvraag (an `aanvraag_id` column) and
# show on its pages; registered with `volg` from their AppConfig.ready, before any migrate.
_gevolgd: list[str] = []
# The same for rows that belong to an aanvraag through a parent row: table -> (the parent's
# table, the column that points at it).
_gevolgd_via: dict[str, tuple[str, str]] = {}
REFERENTIE = (
    "oproepen_oproep",
    "oproepen_beleidsprioriteit",
    "oproepen_bijlagetype",
    "besturen_lokaalbestuur",
    "besturen_bevolking",
    "besturen_regieverband",
    "besturen_lidmaatschap",
    # Who has which role: WSE's pages list the active reviewers.
    "accounts_user_groups",
)
# An update of a user that changes how pages name or list them (a login, which writes
# `last_login`, does not).
NAAM_ANDERS = (
    "OLD.first_name IS DISTINCT FROM NEW.first_name"
    " OR OLD.last_name IS DISTINCT FROM NEW.last_name OR OLD.email IS DISTINCT FROM NEW.email"
    " OR OLD.is_active IS DISTINCT FROM NEW.is_active"
)
# An update of an aanvraag that changes which aanvragen count for overlaps.
TELT_ANDERS = (
    "(OLD.status <> NEW.status AND 'ingetrokken' IN (OLD.status, NEW.status))"
    " OR OLD.regieverband_id <> NEW.regieverband_id OR OLD.oproep_id <> NEW.oproep_id"
)
VERHOOG_REFERENTIE = (
    "INSERT INTO aanvragen_referentieversie (id, waarde) VALUES (1, 1)"
    " ON CONFLICT (id) DO UPDATE SET waarde = aanvragen_referentieversie.waarde + 1;"
)


def volg(tabel: str, *, via: tuple[str, str] | None = None) -> None:
    """Let `inhoudsversie` follow the rows of this table too: rows with an `aanvraag_id` column,
    or (`via`) rows whose parent has one: (the parent's table, the column pointing at it)."""
    if via is not None:
        _gevolgd_via[tabel] = via
    elif tabel not in _gevolgd:
        _gevolgd.append(tabel)


def onderdelen() -> tuple[str, ...]:
    """Every table whose rows raise their aanvraag's `inhoudsversie`."""
    return (*ONDERDELEN, *_gevolgd, *_gevolgd_via)


def _via(rij: str, ouder: str, kolom: str) -> str:
    """The aanvraag of a row that belongs to it through its parent (`rij`: OLD or NEW). Table
    and column names come from the apps' code (`volg`), never from input."""
    return f"(SELECT aanvraag_id FROM {ouder} WHERE id = {rij}.{kolom})"  # noqa: S608


def _postgresql() -> list[str]:
    sql = [
        """CREATE OR REPLACE FUNCTION aanvragen_inhoud_eigen() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.inhoudsversie := OLD.inhoudsversie + 1;
            RETURN NEW;
        END $$""",
        """CREATE OR REPLACE FUNCTION aanvragen_inhoud_onderdeel() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE aanvragen_aanvraag SET inhoudsversie = inhoudsversie + 1
                WHERE id = OLD.aanvraag_id;
            END IF;
            IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.aanvraag_id <> OLD.aanvraag_id) THEN
                UPDATE aanvragen_aanvraag SET inhoudsversie = inhoudsversie + 1
                WHERE id = NEW.aanvraag_id;
            END IF;
            RETURN NULL;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION aanvragen_referentie() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            {VERHOOG_REFERENTIE}
            RETURN NULL;
        END $$""",
        """CREATE OR REPLACE TRIGGER aanvragen_inhoud_eigen BEFORE UPDATE ON aanvragen_aanvraag
        FOR EACH ROW EXECUTE FUNCTION aanvragen_inhoud_eigen()""",
        """CREATE OR REPLACE TRIGGER aanvragen_referentie_aanvraag
        AFTER INSERT OR DELETE OR TRUNCATE ON aanvragen_aanvraag
        FOR EACH STATEMENT EXECUTE FUNCTION aanvragen_referentie()""",
        f"""CREATE OR REPLACE TRIGGER aanvragen_referentie_aanvraagstatus
        AFTER UPDATE ON aanvragen_aanvraag
        FOR EACH ROW WHEN ({TELT_ANDERS}) EXECUTE FUNCTION aanvragen_referentie()""",
        f"""CREATE OR REPLACE TRIGGER aanvragen_referentie_gebruikersnaam
        AFTER UPDATE ON accounts_user
        FOR EACH ROW WHEN ({NAAM_ANDERS}) EXECUTE FUNCTION aanvragen_referentie()""",
    ]
    for tabel in (*ONDERDELEN, *_gevolgd):
        sql.append(
            f"""CREATE OR REPLACE TRIGGER aanvragen_inhoud
            AFTER INSERT OR UPDATE OR DELETE ON {tabel}
            FOR EACH ROW EXECUTE FUNCTION aanvragen_inhoud_onderdeel()"""
        )
    for tabel, (ouder, kolom) in _gevolgd_via.items():
        sql += [
            f"""CREATE OR REPLACE FUNCTION aanvragen_inhoud_{tabel}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    UPDATE aanvragen_aanvraag SET inhoudsversie = inhoudsversie + 1
                    WHERE id = {_via("OLD", ouder, kolom)};
                END IF;
                IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.{kolom} <> OLD.{kolom}) THEN
                    UPDATE aanvragen_aanvraag SET inhoudsversie = inhoudsversie + 1
                    WHERE id = {_via("NEW", ouder, kolom)};
                END IF;
                RETURN NULL;
            END $$""",  # noqa: S608 (names from the apps' code, see _via)
            f"""CREATE OR REPLACE TRIGGER aanvragen_inhoud
            AFTER INSERT OR UPDATE OR DELETE ON {tabel}
            FOR EACH ROW EXECUTE FUNCTION aanvragen_inhoud_{tabel}()""",
        ]
    for tabel in REFERENTIE:
        # Per statement: an import of thousands of rows raises the counter once.
        sql.append(
            f"""CREATE OR REPLACE TRIGGER aanvragen_referentie
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {tabel}
            FOR EACH STATEMENT EXECUTE FUNCTION aanvragen_referentie()"""
        )
    return sql


def _sqlite() -> list[str]:
    # SQLite before 3.39 knows no IS DISTINCT FROM; its IS NOT compares NULLs the same way.
    naam_anders = NAAM_ANDERS.replace("IS DISTINCT FROM", "IS NOT")
    # Only row triggers, and an AFTER trigger cannot change NEW: the row's own update writes the
    # counter again (SQLite does not fire a trigger from itself).
    triggers = {
        "aanvragen_inhoud_eigen": """AFTER UPDATE ON aanvragen_aanvraag FOR EACH ROW BEGIN
            UPDATE aanvragen_aanvraag SET inhoudsversie = OLD.inhoudsversie + 1 WHERE id = NEW.id;
            END""",
        "aanvragen_referentie_aanvraag_nieuw": (
            f"AFTER INSERT ON aanvragen_aanvraag BEGIN {VERHOOG_REFERENTIE} END"
        ),
        "aanvragen_referentie_aanvraag_weg": (
            f"AFTER DELETE ON aanvragen_aanvraag BEGIN {VERHOOG_REFERENTIE} END"
        ),
        "aanvragen_referentie_aanvraagstatus": f"""AFTER UPDATE ON aanvragen_aanvraag
            FOR EACH ROW WHEN {TELT_ANDERS} BEGIN {VERHOOG_REFERENTIE} END""",
        "aanvragen_referentie_gebruikersnaam": f"""AFTER UPDATE ON accounts_user
            FOR EACH ROW WHEN {naam_anders} BEGIN {VERHOOG_REFERENTIE} END""",
    }
    verhoog = "UPDATE aanvragen_aanvraag SET inhoudsversie = inhoudsversie + 1"
    for tabel, (ouder, kolom) in _gevolgd_via.items():
        triggers |= {
            f"aanvragen_inhoud_{tabel}_nieuw": (
                f"AFTER INSERT ON {tabel} BEGIN {verhoog}"
                f" WHERE id = {_via('NEW', ouder, kolom)}; END"
            ),
            f"aanvragen_inhoud_{tabel}_anders": (
                f"AFTER UPDATE ON {tabel} BEGIN {verhoog}"
                f" WHERE id IN ({_via('OLD', ouder, kolom)}, {_via('NEW', ouder, kolom)}); END"
            ),
            f"aanvragen_inhoud_{tabel}_weg": (
                f"AFTER DELETE ON {tabel} BEGIN {verhoog}"
                f" WHERE id = {_via('OLD', ouder, kolom)}; END"
            ),
        }
    for tabel in (*ONDERDELEN, *_gevolgd):
        triggers |= {
            f"aanvragen_inhoud_{tabel}_nieuw": (
                f"AFTER INSERT ON {tabel} BEGIN {verhoog} WHERE id = NEW.aanvraag_id; END"
            ),
            f"aanvragen_inhoud_{tabel}_anders": (
                f"AFTER UPDATE ON {tabel} BEGIN {verhoog}"
                " WHERE id IN (OLD.aanvraag_id, NEW.aanvraag_id); END"
            ),
            f"aanvragen_inhoud_{tabel}_weg": (
                f"AFTER DELETE ON {tabel} BEGIN {verhoog} WHERE id = OLD.aanvraag_id; END"
            ),
        }
    for tabel in REFERENTIE:
        for wat, wanneer in (("nieuw", "INSERT"), ("anders", "UPDATE"), ("weg", "DELETE")):
            triggers[f"aanvragen_referentie_{tabel}_{wat}"] = (
                f"AFTER {wanneer} ON {tabel} BEGIN {VERHOOG_REFERENTIE} END"
            )
    sql = []
    for naam, definitie in triggers.items():
        sql += [f"DROP TRIGGER IF EXISTS {naam}", f"CREATE TRIGGER {naam} {definitie}"]
    return sql


def installeer(connection: BaseDatabaseWrapper) -> None:
    """Make or remake the triggers (after every `migrate`; the same again changes nothing)."""
    if connection.vendor == "postgresql":
        sql = _postgresql()
    elif connection.vendor == "sqlite":
        sql = _sqlite()
    else:
        raise NotImplementedError(f"no version triggers for {connection.vendor}")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def met_referentieversie(aanvragen: QuerySet[Aanvraag]) -> QuerySet[Aanvraag]:
    """The aanvragen with `referentieversie` read in the same statement as their rows (and what
    is joined to them), so the two counters are those of the data read with them."""
    return aanvragen.annotate(
        referentieversie=Coalesce(
            Subquery(Referentieversie.objects.filter(pk=1).values("waarde")[:1]), 0
        )
    )


def sleutel(aanvraag: Aanvraag) -> str | None:
    """The key of what is kept of this aanvraag's content as read with it: its id and both
    counters; None when it was not read through `met_referentieversie` (then keep nothing)."""
    referentie = getattr(aanvraag, "referentieversie", None)
    if referentie is None:
        return None
    return _sleutel(aanvraag.pk, aanvraag.inhoudsversie, referentie)


def sleutel_van(pk: int) -> str | None:
    """The same key for the aanvraag as stored now, read in one small query (the counters
    only); None when there is no such aanvraag."""
    versies = (
        met_referentieversie(Aanvraag.objects.filter(pk=pk))
        # The annotation is made above, where the type checker cannot see it.
        .values_list("inhoudsversie", "referentieversie")  # type: ignore[misc]
        .first()
    )
    return None if versies is None else _sleutel(pk, *versies)


def _sleutel(pk: int, inhoudsversie: int, referentieversie: int) -> str:
    return f"{pk}:{inhoudsversie}:{referentieversie}"


def stand() -> str:
    """The state of all aanvragen and the reference data at once (one small query): the sum of
    every aanvraag's `inhoudsversie` and the reference counter."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT COALESCE(SUM(inhoudsversie), 0) FROM aanvragen_aanvraag),"
            " COALESCE((SELECT waarde FROM aanvragen_referentieversie WHERE id = 1), 0)"
        )
        som, referentie = cursor.fetchone()
    return f"{som}:{referentie}"


def met_oproepstand(aanvragen: QuerySet[Aanvraag]) -> QuerySet[Aanvraag]:
    """The aanvragen with `oproepstand`, the sum of `inhoudsversie` over all aanvragen of their
    call, read in the same statement (with `met_referentieversie`, the state of the whole call)."""
    som = (
        Aanvraag.objects.filter(oproep=OuterRef("oproep"))
        .order_by()
        .values("oproep")
        .annotate(som=Sum("inhoudsversie"))
        .values("som")
    )
    return aanvragen.annotate(oproepstand=Coalesce(Subquery(som), 0))


def referentieversie() -> int:
    """The reference counter now (0 before its first write). Read it before the data that is
    kept under it, so that data is at least as new as its key."""
    return Referentieversie.objects.filter(pk=1).values_list("waarde", flat=True).first() or 0
