"""Reading a table a beheerder brings (CSV in UTF-8, or XLSX): its rows, its header, the
columns it must have, and what is wrong with a line, said in Dutch with its line number."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import zipfile
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TableRows = Generator[tuple[int, list[str]], None, None]


@dataclass(frozen=True, order=True)
class LineProblem:
    """What is wrong with one line of a file that a beheerder brought, by its line number."""

    regel: int
    tekst: str

    def __str__(self) -> str:
        return _("regel %(regel)s: %(tekst)s") % {"regel": self.regel, "tekst": self.tekst}


def table_rows(
    bestand: IO[bytes],
    *,
    delimiters: str,
    xlsx: bool = False,
    strict_utf8: bool = True,
    comments: bool = False,
) -> TableRows:
    """Yield (line number, stripped cells) of each non-empty row of a table, the header first.

    A text file is UTF-8 (a BOM is fine), split on whichever of `delimiters` occurs most in its
    first line. With `xlsx`, an Excel workbook's first sheet is read too. With `comments`, a line
    of a text file whose first character (after spaces) is `#` is a comment, skipped like an empty
    line: a file can say where its data comes from. Without `strict_utf8`, undecodable bytes
    become U+FFFD (for files whose text columns are ignored anyway). A file that
    is no table (empty, a PDF, an old .xls, other binary data) raises a ValidationError saying
    what it seems to be, so that a wrong upload gets a useful answer.
    """
    head = bestand.read(8192)
    bestand.seek(0)
    if _looks_like_zip(head) and xlsx:
        yield from _xlsx_rows(bestand)
        return
    _refuse_non_text(head, xlsx=xlsx)
    yield from _text_rows(
        bestand, delimiters=delimiters, strict_utf8=strict_utf8, comments=comments
    )


def _looks_like_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _refuse_non_text(head: bytes, *, xlsx: bool) -> None:
    expected = _("een CSV- of .xlsx-bestand") if xlsx else _("een CSV-bestand")
    if not head.strip():
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    if head.startswith(b"%PDF"):
        message = _("Dit is een PDF-bestand, geen tabel. Verwacht wordt %(verwacht)s.")
    elif _looks_like_zip(head):
        message = _("Dit is een zip- of Excel-bestand. Verwacht wordt %(verwacht)s.")
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        message = _("Dit is een oud Office-bestand (bv. .xls). Verwacht wordt %(verwacht)s.")
    elif b"\x00" in head:
        message = _("Dit is geen tekstbestand maar binaire gegevens. Verwacht wordt %(verwacht)s.")
    else:
        return
    raise ValidationError(message, code="not_a_table", params={"verwacht": expected})


def _text_rows(
    bestand: IO[bytes], *, delimiters: str, strict_utf8: bool, comments: bool
) -> TableRows:
    text = io.TextIOWrapper(
        bestand, encoding="utf-8-sig", errors="strict" if strict_utf8 else "replace", newline=""
    )
    # A comment becomes an empty line rather than disappearing, so that line numbers stay those
    # of the file.
    lines: Iterable[str] = (_blank_comment(line) for line in text) if comments else text
    try:
        leading: list[str] = []
        for line in lines:
            leading.append(line)
            if line.strip():
                break
        delimiter = max(delimiters, key=leading[-1].count) if leading else delimiters[0]
        reader = csv.reader(itertools.chain(leading, lines), delimiter=delimiter)
        for cells in reader:
            stripped = [value.strip() for value in cells]
            if any(stripped):
                yield reader.line_num, stripped
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("Het bestand is geen UTF-8-tekst. Sla het op als CSV (UTF-8)."), code="encoding"
        ) from exc
    except csv.Error as exc:
        raise ValidationError(
            _("Het bestand is geen leesbare tabel: %(fout)s"), code="csv", params={"fout": exc}
        ) from exc
    finally:
        if not text.closed:
            text.detach()  # the caller owns `bestand` and closes it


def _blank_comment(line: str) -> str:
    return "\n" if line.lstrip().startswith("#") else line


def _xlsx_rows(bestand: IO[bytes]) -> TableRows:
    """The rows of an .xlsx workbook's first sheet, read as a stream (read_only)."""
    from openpyxl import load_workbook

    unreadable = ValidationError(
        _("Dit zip-bestand is geen leesbaar .xlsx-werkboek. Pak een zip eerst uit."),
        code="xlsx",
    )
    try:
        with zipfile.ZipFile(bestand) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise unreadable
        bestand.seek(0)
        workbook = load_workbook(bestand, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise unreadable from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the stored dimensions may be wrong; read every row
        for regel, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            if any(cells):
                yield regel, cells
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
        # A damaged sheet shows only while its rows are read (ElementTree's ParseError is a
        # SyntaxError).
        raise unreadable from exc
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """An Excel cell as the text a CSV would hold: 1234.0 -> "1234", a date -> ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def header_of(rows: TableRows) -> list[str]:
    """The first row of `table_rows`; a file without one is empty."""
    first = next(rows, None)
    if first is None:
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    return first[1]


def column_positions(
    header: Sequence[str],
    required: Sequence[str],
    *,
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, int]:
    """Where each required column is, names compared without regard to case; a column may also go
    by one of its `aliases` (an older name of the same column).

    A missing column raises a ValidationError naming what is missing and what the file has, which
    is how a file of the wrong kind (another table, another delimiter) is recognised.
    """
    names = [name.strip().lower() for name in header]
    positions: dict[str, int] = {}
    missing: list[str] = []
    for column in required:
        candidates = [column, *(aliases or {}).get(column, ())]
        found = [names.index(name.lower()) for name in candidates if name.lower() in names]
        if found:
            positions[column] = found[0]
        else:
            missing.append(column)
    if missing:
        raise ValidationError(
            _("Kolommen ontbreken: %(ontbreekt)s. Gevonden kolommen: %(gevonden)s."),
            code="columns",
            params={
                "ontbreekt": ", ".join(missing),
                "gevonden": _shorten(", ".join(name for name in header if name), 300),
            },
        )
    return positions


def cell(cells: Sequence[str], index: int) -> str:
    """The cell at `index`, or "" for a short row."""
    return cells[index] if index < len(cells) else ""


def problem_messages(problems: Iterable[LineProblem], *, total: int, limit: int) -> list[str]:
    """The first `limit` problems by line number, then "en N meer" for the rest."""
    shown = [str(problem) for problem in sorted(problems)[:limit]]
    if total > len(shown):
        shown.append(_("... en %(aantal)s meer.") % {"aantal": total - len(shown)})
    return shown


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 3] + "..."
