"""The portal's one writer of tables for spreadsheets: every CSV and XLSX it hands out.

A table is built once (`Tabel`: Dutch headers, typed values) and written in either format. CSV is
what Excel in Belgium opens directly: `;` between fields, a decimal comma, UTF-8 with a BOM. XLSX
keeps numbers as numbers and dates as dates. Text that a spreadsheet would run as a formula is
neutralised in both formats (CSV injection), whoever typed it.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sized
from dataclasses import dataclass
from decimal import Decimal

Waarde = str | int | Decimal | datetime.date | datetime.datetime | None

# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection).
FORMULE_TEKENS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Tabel:
    naam: str  # also the sheet's title and part of the file name
    kolommen: list[str]
    # A list, or for a large export rows read from the database while the file is written.
    rijen: Iterable[list[Waarde]]
    aantal: int | None = None  # how many rows, when `rijen` is no list

    @property
    def rij_aantal(self) -> int:
        if self.aantal is not None:
            return self.aantal
        assert isinstance(self.rijen, Sized), "a table of rows read as written says its aantal"
        return len(self.rijen)


def _veilig(tekst: str) -> str:
    return "'" + tekst if tekst.startswith(FORMULE_TEKENS) else tekst


def _csv_waarde(waarde: Waarde) -> str:
    if waarde is None:
        return ""
    if isinstance(waarde, Decimal):
        return f"{waarde:.2f}".replace(".", ",")
    if isinstance(waarde, datetime.datetime):
        return waarde.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(waarde, datetime.date):
        return waarde.isoformat()
    if isinstance(waarde, int):
        return str(waarde)
    return _veilig(waarde)


# Rows written per piece of a streamed CSV: few pieces for the server, little memory each.
RIJEN_PER_STUK = 500


def csv_stukken(tabel: Tabel) -> Iterator[bytes]:
    """The CSV in pieces, written while the rows are read: a large export starts at once and
    never sits whole in memory. The first piece starts with the byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(tabel.kolommen)
    for i, rij in enumerate(tabel.rijen, start=1):
        writer.writerow([_csv_waarde(w) for w in rij])
        if i % RIJEN_PER_STUK == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def as_csv(tabel: Tabel) -> bytes:
    return b"".join(csv_stukken(tabel))


def as_xlsx(tabel: Tabel) -> bytes:
    """A workbook with one sheet: bold, frozen header with a filter on every column; amounts,
    dates and counts as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(tabel.naam[:31])
    sheet.freeze_panes = "A2"
    if tabel.kolommen:
        laatste = get_column_letter(len(tabel.kolommen))
        sheet.auto_filter.ref = f"A1:{laatste}{tabel.rij_aantal + 1}"
    for i, kolom in enumerate(tabel.kolommen, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(len(kolom) + 2, 12), 50)
    header = []
    for kolom in tabel.kolommen:
        cell = WriteOnlyCell(sheet, value=kolom)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for rij in tabel.rijen:
        cells = []
        for waarde in rij:
            if isinstance(waarde, str):
                # Control characters (a vertical tab pasted from Word) are not allowed in XLSX.
                waarde = ILLEGAL_CHARACTERS_RE.sub("", waarde)
            cell = WriteOnlyCell(sheet, value=waarde)
            if isinstance(waarde, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(waarde, Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(waarde, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(waarde, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
