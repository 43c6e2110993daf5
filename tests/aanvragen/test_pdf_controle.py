"""The PDF check's second line of defence: the child process under the operating system's limits
(`pdf_controle.nakijken_apart`), and the in-process check where no child can be limited.

Every test runs the real child (`python -m applications.aanvragen.pdf_controle`) on a real file:
the memory, CPU and wall-clock limits are made small enough for the file to reach them, never
faked. Whatever stops the child, the file is refused as "te complex", never let through.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from applications.aanvragen import pdf_controle, uploads
from applications.aanvragen.models import Aanvraag, Bijlage
from applications.aanvragen.pdf_controle import TE_COMPLEX, Grenzen, Uitslag
from applications.accounts.models import User

from ..aanvraag_helpers import pdf_bom, pdf_bytes, pdf_uit, pdf_veel_objecten
from .test_uploads import JS_ACHTER, NIET_VEILIG, PAGINA, REFUSED, stored_files, upload
from .test_uploads import private_root as private_root  # the private storage in tmp_path

pytestmark = [pytest.mark.django_db, pytest.mark.pdf_controle_apart]

MB = 1024 * 1024
LOGGER = "applications.aanvragen.pdf_controle"
# Generous everywhere: each test lowers the one limit it is about.
RUIM = Grenzen(
    max_bytes=256 * MB,
    max_onderdelen=10_000_000,
    seconden=120,
    geheugen_bytes=1024 * MB,
    cpu_seconden=120,
    wachttijd=120,
)
# One stream that unpacks to 8 MB: under the counted limit of RUIM, over a memory limit of 16 MB.
BOM_8_MB = {"strooms": 1, "per_stroom": 8 * MB}
# 200,000 objects (13 MB, more than an upload may be; the child does not look at the size): over
# 5 s of reading on the machine this was written on, with nothing that unpacks and fewer parts
# than RUIM allows, so only a time limit stops it. A machine 4 times as fast still needs more
# than the 1 s of CPU the test allows.
VEEL_OBJECTEN = 200_000


def grenzen(**anders: Any) -> Grenzen:
    return Grenzen(**{**RUIM.__dict__, **anders})


def kinderen() -> list[int]:
    """The process ids of this process's children that run the check."""
    gevonden = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
            opdracht = (proc / "cmdline").read_bytes()
        except OSError:  # ended meanwhile
            continue
        ouder = next(r for r in status.splitlines() if r.startswith("PPid:")).split()[1]
        if int(ouder) == os.getpid() and pdf_controle.__name__.encode() in opdracht:
            gevonden.append(int(proc.name))
    return gevonden


def test_this_system_can_limit_a_child() -> None:
    """The premise of the tests below: on Linux the check runs in a child with limits."""
    assert pdf_controle.apart_mogelijk()


@pytest.mark.parametrize("paginas", [1, 3])
def test_a_normal_pdf_passes_the_child_as_it_passes_in_process(paginas: int) -> None:
    data = pdf_bytes(pages=paginas)
    grenzen = uploads.pdf_grenzen()
    apart = pdf_controle.nakijken_apart(data, grenzen)
    assert apart == Uitslag(fout=None, paginas=paginas, gevonden=[])
    assert pdf_controle.nakijken(io.BytesIO(data), grenzen) == apart
    assert kinderen() == []


@pytest.mark.parametrize(("case", "build", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_the_child_refuses_every_bad_file_as_the_in_process_check_does(
    case: str, build: Any, message: str, settings: Any
) -> None:
    """Same code, same message: the child changes where the check runs, not what it says."""
    data = build()
    gezegd = {}
    for apart in (True, False):
        settings.REGIEROL_PDF_CONTROLE_APART = apart
        with pytest.raises(ValidationError) as fout:
            uploads.check_pdf_upload(SimpleUploadedFile(f"{case}.pdf", data))
        gezegd[apart] = (fout.value.code, fout.value.messages)
    assert gezegd[True] == gezegd[False]
    assert gezegd[True][1] == [message]


# --- Memory -----------------------------------------------------------------------------------


def test_the_memory_limit_refuses_a_file_that_the_counted_limits_let_through() -> None:
    """16 MB of address space is less than the interpreter itself holds (some 56 MB), so the
    child cannot allocate what unpacking the 8 MB stream takes: the check catches the
    MemoryError and reports the file too complex. The counted limits (256 MB here) alone let it
    through, and so does the child with room."""
    bom = pdf_bom(**BOM_8_MB)
    krap = grenzen(geheugen_bytes=16 * MB)
    assert pdf_controle.nakijken(io.BytesIO(bom), krap) == Uitslag(None, 1, [])  # line 1 alone
    assert pdf_controle.nakijken_apart(bom, krap) == Uitslag(TE_COMPLEX)
    assert pdf_controle.nakijken_apart(bom, RUIM) == Uitslag(None, 1, [])  # the limit did it


def test_a_child_out_of_memory_before_the_check_starts_refuses_the_file(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With 1 MB of address space the child cannot even take in a 2 MB upload: it ends with a
    MemoryError outside the check, and the parent refuses the file all the same."""
    data = pdf_bytes() + b"%" * (2 * MB)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert pdf_controle.nakijken_apart(data, grenzen(geheugen_bytes=1 * MB)) == Uitslag(
            TE_COMPLEX
        )
    assert "PDF check: child process out of memory (MemoryError)" in caplog.messages


def test_the_upload_form_says_te_complex_when_the_memory_limit_is_reached(
    aanvraag: Aanvraag, regisseur: User, private_root: Path, settings: Any
) -> None:
    """Through the view, with the setting: the user reads the same refusal as for any limit."""
    settings.REGIEROL_PDF_CONTROLE_APART = True
    settings.REGIEROL_PDF_CONTROLE_MAX_MB = 256
    settings.REGIEROL_PDF_CONTROLE_GEHEUGEN_MB = 16
    response = upload(regisseur, aanvraag, "bom.pdf", pdf_bom(**BOM_8_MB))
    assert response.status_code == 200
    body = response.content.decode()
    assert escape(NIET_VEILIG) in body
    assert "Niet opgeladen: verbeter de aangeduide velden." in body
    assert not Bijlage.objects.exists()
    assert stored_files(private_root) == []


VIER_MB_TEKST = b"(" + b"A" * 4_000_000 + b")"


@pytest.mark.parametrize(
    "waarde",
    [
        pytest.param(b"<< /Y " + VIER_MB_TEKST + b" >>", id="in_a_dictionary_inside_the_action"),
        pytest.param(VIER_MB_TEKST, id="in_the_action_itself"),
    ],
)
def test_memory_that_runs_out_while_pypdf_reads_refuses_the_file_as_too_complex(
    waarde: bytes,
) -> None:
    """pypdf turns a MemoryError met inside a dictionary into a PdfReadError ("Error reading PDF
    file."). Inside another dictionary, that one logs it and keeps what it had read so far
    (strict=False): the /JS after it would go unseen; the check notices pypdf's warning. Raised
    to the check, it is memory, not a damaged file. A 4 MB string takes far more than 64 MB to
    read (pypdf reads it a byte at a time)."""
    data = pdf_uit(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
            **PAGINA,
            5: JS_ACHTER % waarde,
        }
    )
    assert pdf_controle.nakijken(io.BytesIO(data), RUIM).gevonden == ["javascript"]
    assert pdf_controle.nakijken_apart(data, RUIM).gevonden == ["javascript"]
    krap = grenzen(geheugen_bytes=64 * MB)
    assert pdf_controle.nakijken_apart(data, krap) == Uitslag(TE_COMPLEX)


# --- Time ---------------------------------------------------------------------------------------


def test_the_cpu_limit_stops_a_check_that_line_1_would_let_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Line 1 has two minutes here; the operating system stops the child after 1 s of CPU."""
    data = pdf_veel_objecten(VEEL_OBJECTEN)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert pdf_controle.nakijken_apart(data, grenzen(cpu_seconden=1)) == Uitslag(TE_COMPLEX)
    assert "PDF check: child process stopped by SIGXCPU" in caplog.messages
    assert kinderen() == []


def test_the_parent_kills_a_child_that_takes_too_long(caplog: pytest.LogCaptureFixture) -> None:
    """A child that is not using CPU (or not enough to reach its limit) still ends: the parent
    waits half a second here, and the child is gone when the check returns."""
    data = pdf_veel_objecten(VEEL_OBJECTEN)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert pdf_controle.nakijken_apart(data, grenzen(wachttijd=0.5)) == Uitslag(TE_COMPLEX)
    assert "PDF check: child process stopped after 0.5 s (wall clock)" in caplog.messages
    assert kinderen() == []


# --- A child that dies or cannot run ------------------------------------------------------------


def test_a_child_killed_from_outside_lets_nothing_through(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """As the kernel's OOM killer or an operator would: SIGKILL while the child reads the file."""
    data = pdf_veel_objecten(VEEL_OBJECTEN)
    with (
        caplog.at_level(logging.WARNING, logger=LOGGER),
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        bezig = pool.submit(pdf_controle.nakijken_apart, data, RUIM)
        tot = time.monotonic() + 30
        while not (gevonden := kinderen()) and not bezig.done() and time.monotonic() < tot:
            time.sleep(0.01)
        assert len(gevonden) == 1, "the child was not seen running"
        os.kill(gevonden[0], signal.SIGKILL)
        assert bezig.result() == Uitslag(TE_COMPLEX)
    assert "PDF check: child process stopped by SIGKILL" in caplog.messages
    assert kinderen() == []


def test_a_child_that_cannot_run_refuses_the_file_and_logs_an_error(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where sys.executable is not a Python (an embedded interpreter) the child exits at once
    with an error, or does not start: the file is refused, and the error is logged for the
    operator, since then the check, not the file, is at fault."""
    for programma in ("/bin/false", "/bestaat/niet/python"):
        monkeypatch.setattr(sys, "executable", programma)
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger=LOGGER):
            assert pdf_controle.nakijken_apart(pdf_bytes(), RUIM) == Uitslag(TE_COMPLEX)
        assert [r.levelno for r in caplog.records] == [logging.ERROR]


def test_only_a_well_formed_report_of_the_child_counts() -> None:
    """The parent reads the child's JSON as data: an unknown code, a kind of active content it
    does not know or a page count that is not a number is no report (and refuses the file)."""
    assert pdf_controle._uitslag(b'{"fout": null, "paginas": 2, "gevonden": ["xfa"]}') == (
        Uitslag(None, 2, ["xfa"])
    )
    for kapot in (
        b"",
        b"[]",
        b'{"fout": "ok"}',
        b'{"fout": null, "paginas": "2"}',
        b'{"fout": null, "paginas": 1, "gevonden": ["iets"]}',
        b'{"fout": null, "paginas": 1, "gevonden": "xfa"}',
        b'{"fout": null, "paginas": 1, "extra": 1}',
    ):
        assert pdf_controle._uitslag(kapot) is None, kapot


# --- Where no child can be limited ----------------------------------------------------------------


def _tel_uitpakken(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the streams this process unpacks for a check (none when the child does)."""
    uitgepakt: list[int] = []
    echt = pdf_controle._pypdf_decode

    def tellend(stream: Any) -> bytes:
        data = echt(stream)
        uitgepakt.append(len(data))
        return data

    monkeypatch.setattr(pdf_controle, "_pypdf_decode", tellend)
    return uitgepakt


def test_with_a_child_the_worker_unpacks_nothing(
    aanvraag: Aanvraag, regisseur: User, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.REGIEROL_PDF_CONTROLE_APART = True
    uitgepakt = _tel_uitpakken(monkeypatch)
    klein = pdf_bom(strooms=3, per_stroom=1000)
    assert upload(regisseur, aanvraag, "klein.pdf", klein).status_code == 302
    assert uitgepakt == []


@pytest.mark.parametrize("waarom", ["no_resource_module", "setting_off"])
def test_without_a_child_the_check_runs_in_the_worker_with_line_1(
    waarom: str,
    aanvraag: Aanvraag,
    regisseur: User,
    private_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    """On a system without `resource` (Windows), or with REGIEROL_PDF_CONTROLE_APART off, the
    worker itself reads the file (it unpacks the streams), with the counted limits only: a good
    file is accepted as before, a file past a counted limit is refused with the same message."""
    if waarom == "no_resource_module":
        monkeypatch.setattr(pdf_controle, "resource", None)
    else:
        settings.REGIEROL_PDF_CONTROLE_APART = False
    uitgepakt = _tel_uitpakken(monkeypatch)
    klein = pdf_bom(strooms=3, per_stroom=1000)
    assert upload(regisseur, aanvraag, "klein.pdf", klein).status_code == 302
    assert len(uitgepakt) == 3
    assert Bijlage.objects.get().naam == "klein.pdf"

    settings.REGIEROL_PDF_CONTROLE_MAX_MB = 1
    response = upload(regisseur, aanvraag, "bom.pdf", pdf_bom(strooms=8, per_stroom=900_000))
    assert escape(NIET_VEILIG) in response.content.decode()
    assert Bijlage.objects.count() == 1
    assert len(stored_files(private_root)) == 1
