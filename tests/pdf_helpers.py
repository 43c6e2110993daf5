"""Read PDFs back as users' tools do: pdftotext (poppler) for the text, pypdf for structure."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, as pdftotext extracts it, with whitespace collapsed to one space.

    Collapsing makes a title that wraps inside a table cell read as it was typed.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(content)
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [re.sub(r"\s+", " ", page).strip() for page in pages]


def pdf_text(content: bytes) -> str:
    return " ".join(pdf_pages(content))


def pdf_reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))
