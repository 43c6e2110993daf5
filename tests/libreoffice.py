"""What LibreOffice Calc reads in a spreadsheet we export: the finance department opens the XLSX
files in it. The file is converted headless to CSV with the raw cell values (not as formatted), so
that a test compares the numbers Calc holds, not what openpyxl reads."""

from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
from pathlib import Path

# The CSV filter's options: ';' separated, '"' quoted, UTF-8 (76), from the first line, cell
# contents as they are rather than as shown (the 9th token).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false"


def calc_leest(xlsx: bytes) -> list[list[str]]:
    """The rows of the first sheet as LibreOffice Calc reads them (`make test` installs it)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice Calc ontbreekt (Debian-pakket libreoffice-calc-nogui)"
    with tempfile.TemporaryDirectory() as tmp:
        map_ = Path(tmp)
        (map_ / "export.xlsx").write_bytes(xlsx)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(map_ / 'profiel').as_uri()}",
                "--headless",
                "--convert-to",
                CSV_FILTER,
                "--outdir",
                tmp,
                str(map_ / "export.xlsx"),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        tekst = (map_ / "export.csv").read_text(encoding="utf-8")
    return list(csv.reader(tekst.splitlines(), delimiter=";"))
