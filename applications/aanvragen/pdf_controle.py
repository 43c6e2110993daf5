"""Reading an uploaded PDF for the upload check (`uploads.check_pdf_upload`), within limits.

This module only reads the PDF (pypdf; no Django), so that it can run in a child process of its
own: `python -m applications.aanvragen.pdf_controle` reads the PDF on stdin and writes its finding
as JSON. Two lines of defence keep a crafted file (a "decompression bomb", millions of objects)
from tying up the web worker:

1. The check counts what it does and stops at its limits: data unpacked in all (pypdf's
   unpacking of each stream is counted; a bomb spreads hundreds of MB over many object streams,
   each under pypdf's own limit per stream), the parts of the document walked (every dictionary,
   array and value, direct or not: pypdf's own limits stop single arrays and dictionaries, not
   fifty of them), and time. These limits decide; they are the same in and out of the child.
   pypdf reads past most errors in a damaged file (strict=False) and keeps what it had read; a
   limit reached or memory run out there still refuses the file, or what came after (a /JS)
   would go unseen.
2. The child process also runs under limits the operating system enforces (memory, CPU time, no
   files written, no core dump), and the parent kills it after a wall-clock timeout. Whatever
   pypdf does that the first line does not count, the worker stays safe: the child is stopped
   and the file refused. Memory is what the first line does not count at all: a 1,500-page PDF
   of 6 MB took a worker to 960 MB in the 12.5 s before its time ran out; the child stops at
   REGIEROL_PDF_CONTROLE_GEHEUGEN_MB and the worker does not grow.

The child is a fresh interpreter (`subprocess` with `sys.executable`), not a fork of the worker:
forking a threaded gunicorn worker can deadlock on a lock another thread held, and would share its
database connections. It sets its own limits before it reads the file, so no `preexec_fn` (not
safe with threads) is needed. Starting it costs about 0.1 s (`make bench`: a one-page PDF is
checked in 4 ms in-process, in 90 ms in the child). Where `resource` is missing (Windows) or
REGIEROL_PDF_CONTROLE_APART is off, the check runs in-process with the first line only.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import pypdf.filters as pypdf_filters
from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

try:
    import resource
except ImportError:  # Windows: a child's limits cannot be set, the check runs in-process
    resource = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

# The kinds of active content (uploads.ACTIEVE_INHOUD gives each its words for the user).
JAVASCRIPT = "javascript"
LAUNCH = "launch"
INGESLOTEN_BESTANDEN = "embedded_files"
RICHMEDIA = "richmedia"
XFA = "xfa"
ANDER_BESTAND = "gotor"
FORMULIER_VERSTUREN = "submitform"
GEGEVENS_IMPORTEREN = "importdata"
AUTOMATISCHE_LINK = "openaction_uri"

# Why a file is refused before its content is judged (uploads gives each its message).
WACHTWOORD = "password"  # a password is needed to open it
VERSLEUTELD = "encrypted"  # opens without a password, but is encrypted (restrictions)
KAPOT = "broken_pdf"
GEEN_PAGINAS = "no_pages"
TE_COMPLEX = "too_complex"  # a limit was reached, or the child was stopped

# Dictionary keys that are active content whatever their value.
_SLEUTELS = {
    "/JS": JAVASCRIPT,  # the script of a JavaScript action (in /OpenAction, /AA, /A, ...)
    "/JavaScript": JAVASCRIPT,  # the document-level scripts in the /Names tree
    "/EmbeddedFiles": INGESLOTEN_BESTANDEN,  # the /Names tree of attached files
    "/EF": INGESLOTEN_BESTANDEN,  # a file specification that carries the file itself
    "/RichMediaContent": RICHMEDIA,
    "/RichMediaSettings": RICHMEDIA,
    "/XFA": XFA,  # in /AcroForm
}
# (key, value) pairs that are active content: action types and annotation/object types.
_WAARDEN = {
    ("/S", "/JavaScript"): JAVASCRIPT,
    ("/S", "/Launch"): LAUNCH,
    ("/S", "/GoToR"): ANDER_BESTAND,
    ("/S", "/GoToE"): ANDER_BESTAND,
    ("/S", "/SubmitForm"): FORMULIER_VERSTUREN,
    ("/S", "/ImportData"): GEGEVENS_IMPORTEREN,
    ("/Type", "/EmbeddedFile"): INGESLOTEN_BESTANDEN,
    ("/Subtype", "/FileAttachment"): INGESLOTEN_BESTANDEN,
    ("/Subtype", "/RichMedia"): RICHMEDIA,
}
# Not walked: the tagged-PDF structure tree (a node per paragraph, thousands in a long accessible
# document) only describes content; nothing in it runs unless it is also reachable from a page,
# an annotation or the catalog, where the walk finds it.
_NIET_DOORLOPEN = {"/StructTreeRoot"}
# Actions under these keys run when the document or a page opens, without a click.
_VANZELF = {"/OpenAction", "/AA"}


@dataclass(frozen=True)
class Grenzen:
    """The limits of one check (settings REGIEROL_PDF_CONTROLE_*)."""

    max_bytes: int  # unpacked in all
    max_onderdelen: int  # dictionaries, arrays and values walked, direct or indirect
    seconden: float  # line 1 gives up after this long
    # Line 2, the child process: its address space, its CPU time (whole seconds, as the operating
    # system counts it) and how long the parent waits for it before killing it.
    geheugen_bytes: int
    cpu_seconden: int
    wachttijd: float


@dataclass(frozen=True)
class Uitslag:
    """What the check found: a reason to refuse (`fout`), or the pages and active content."""

    fout: str | None = None
    paginas: int = 0
    gevonden: list[str] = field(default_factory=list)


class _GrensBereikt(LimitReachedError):
    """A limit of the check was reached: parts walked, unpacked bytes or time.

    A LimitReachedError, because pypdf lets those through where it reads past other errors of a
    damaged file (strict=False): a dictionary it cannot finish is otherwise kept as far as it got,
    and what came after the limit (a /JS, say) would go unseen.
    """


@dataclass
class _Budget:
    bytes_over: int
    tot: float  # time.monotonic() after which the check gives up
    # A limit was reached, or memory or the stack ran out, somewhere pypdf caught it and read on:
    # what it then read is incomplete, so the file is refused whatever the walk found.
    afgebroken: bool = False


# The budget of the check running in this thread or task; None outside a check.
_BUDGET: ContextVar[_Budget | None] = ContextVar("regierol_pdf_budget", default=None)
_pypdf_decode = pypdf_filters.decode_stream_data


def _grens_bereikt(budget: _Budget) -> _GrensBereikt:
    budget.afgebroken = True
    return _GrensBereikt()


def _begrensd_decode(stream: Any) -> bytes:
    """pypdf's unpacking of one stream, counted against the running check's budget."""
    budget = _BUDGET.get()
    if budget is None:
        return _pypdf_decode(stream)
    if time.monotonic() > budget.tot:
        raise _grens_bereikt(budget)
    try:
        data = _pypdf_decode(stream)
    except (LimitReachedError, MemoryError):  # pypdf's limit per stream, or the child's memory
        budget.afgebroken = True
        raise
    budget.bytes_over -= len(data)
    if budget.bytes_over < 0:
        raise _grens_bereikt(budget)
    return data


# pypdf imports the function from its module each time it unpacks a stream (StreamObject.get_data
# in pypdf 7.1); tests/aanvragen/test_uploads.py fails if that changes.
pypdf_filters.decode_stream_data = _begrensd_decode

# pypdf 7.1 turns a MemoryError or RecursionError met while it reads a dictionary into a
# PdfReadError with this message; a dictionary around that one, read with strict=False, logs it as
# a warning and keeps what it had read so far. In the child a memory limit makes that happen.
_PYPDF_AFGEBROKEN = "Error reading PDF file."


class _PypdfMeldingen(logging.Handler):
    """Marks the running check when pypdf logs that it read past a memory or recursion error
    (tests/aanvragen/test_pdf_controle.py fails if pypdf's message changes)."""

    def emit(self, record: logging.LogRecord) -> None:
        budget = _BUDGET.get()
        if budget is not None and _PYPDF_AFGEBROKEN in record.getMessage():
            budget.afgebroken = True


logging.getLogger("pypdf").addHandler(_PypdfMeldingen(logging.WARNING))


@contextlib.contextmanager
def _begrensd(grenzen: Grenzen) -> Iterator[_Budget]:
    """Run a check within the limits: bytes unpacked in all (and so per stream), and time."""
    maximum = grenzen.max_bytes
    budget = _Budget(maximum, time.monotonic() + grenzen.seconden)
    token = _BUDGET.set(budget)
    try:
        with apply_configuration(
            zlib_maximum_output_length=maximum,
            lzw_maximum_output_length=maximum,
            run_length_maximum_output_length=maximum,
            array_based_stream_maximum_output_length=maximum,
            jbig2_maximum_output_length=maximum,
            brotli_maximum_output_length=maximum,
        ):
            yield budget
    finally:
        _BUDGET.reset(token)


def nakijken(bestand: IO[bytes], grenzen: Grenzen) -> Uitslag:
    """Open the PDF and judge it, in this process, within the counted limits (line 1).

    Too complex: a limit reached or memory run out, also where pypdf caught it and read on, or
    where it turned it into an error of its own ("beschadigd" would send the user the wrong way).
    """
    with _begrensd(grenzen) as budget:
        try:
            uitslag = _lees(bestand, grenzen)
        # Ours (_GrensBereikt) or pypdf's limits, or memory. At its memory limit CPython (3.11)
        # now and then reports a failed allocation as a SystemError instead of a MemoryError.
        except (LimitReachedError, MemoryError, SystemError):
            return Uitslag(TE_COMPLEX)
        except (
            PyPdfError,
            ValueError,
            KeyError,
            IndexError,
            TypeError,
            AttributeError,
            OSError,
            NotImplementedError,  # an encryption method pypdf does not know
            RecursionError,
        ) as exc:
            uitslag = Uitslag(TE_COMPLEX if _door_geheugen(exc) else KAPOT)
    if budget.afgebroken:
        return Uitslag(TE_COMPLEX)
    return uitslag


def _lees(bestand: IO[bytes], grenzen: Grenzen) -> Uitslag:
    reader = PdfReader(bestand, strict=False)
    if reader.is_encrypted:
        if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            return Uitslag(WACHTWOORD)
        return Uitslag(VERSLEUTELD)
    paginas = len(reader.pages)
    if paginas < 1:
        return Uitslag(GEEN_PAGINAS)
    gevonden = active_content(reader, max_onderdelen=grenzen.max_onderdelen)
    return Uitslag(None, paginas, sorted(gevonden))


def _door_geheugen(exc: BaseException) -> bool:
    """Whether a MemoryError (or a limit) is behind this error: pypdf wraps one in its own."""
    gezien: set[int] = set()
    oorzaak: BaseException | None = exc
    while oorzaak is not None and id(oorzaak) not in gezien:
        if isinstance(oorzaak, MemoryError | LimitReachedError):
            return True
        gezien.add(id(oorzaak))
        oorzaak = oorzaak.__cause__ or oorzaak.__context__
    return False


def active_content(reader: PdfReader, *, max_onderdelen: int) -> set[str]:
    """The kinds of active content anywhere in the document.

    Walks every object reachable from the trailer (the catalog, its /Names tree, /OpenAction,
    /AcroForm, every page with its /AA and annotations, ...), each indirect object once, except
    the structure tree. Only dictionary keys and names are read, never the content of streams.
    Raises _GrensBereikt past `max_onderdelen` parts walked (a file of millions of numbers
    would otherwise keep the check busy until its time is up) or when time is up.
    """
    gevonden: set[str] = set()
    gezien: set[tuple[int, int]] = set()
    # (object, reached through /OpenAction or /AA: runs without a click)
    stapel: list[tuple[Any, bool]] = [(reader.trailer, False)]
    budget = _BUDGET.get()
    onderdelen = 0
    while stapel:
        obj, vanzelf = stapel.pop()
        onderdelen += 1
        if onderdelen > max_onderdelen:
            raise _GrensBereikt
        if budget is not None and time.monotonic() > budget.tot:
            raise _GrensBereikt
        if isinstance(obj, IndirectObject):
            sleutel = (obj.idnum, obj.generation)
            if sleutel in gezien:
                continue
            gezien.add(sleutel)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # streams too: their dictionary, not their data
            for naam, waarde in obj.items():
                soort = _SLEUTELS.get(naam)
                if soort is None and naam in ("/S", "/Type", "/Subtype"):
                    soort = _WAARDEN.get((naam, str(_resolve(waarde))))
                elif soort is None and naam == "/URI":
                    soort = _uri_soort(waarde, vanzelf)
                if soort is not None:
                    gevonden.add(soort)
                if naam not in _NIET_DOORLOPEN:
                    stapel.append((waarde, vanzelf or naam in _VANZELF))
        elif isinstance(obj, ArrayObject):
            stapel.extend((waarde, vanzelf) for waarde in obj)
    return gevonden


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _uri_soort(value: Any, vanzelf: bool) -> str | None:
    """What a link's address is, if it is active content: a script (`javascript:`, also with
    control characters or spaces before or inside the scheme, which browsers drop), a file or a
    network share (`file:`, a UNC path `\\\\server\\share`: opening it sends the Windows login
    to that server), or any address opened by itself (in /OpenAction or /AA)."""
    uri = _resolve(value)
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    kaal = "".join(teken for teken in str(uri) if ord(teken) > 0x20).lower()
    if kaal.startswith(("javascript:", "vbscript:")):
        return JAVASCRIPT
    if kaal.startswith(("file:", "\\\\", "//", "smb:")):
        return ANDER_BESTAND
    if vanzelf:
        return AUTOMATISCHE_LINK
    return None


# --- Line 2: the child process --------------------------------------------------------------------

# Of the worker's environment, the child gets only what finds this code; not the secret key, the
# database address or the storage's credentials, which a file it reads has no business near.
_OMGEVING_DOORGEVEN = ("PATH", "PYTHONHOME", "LANG", "LC_ALL")


def apart_mogelijk() -> bool:
    """Whether this system can limit a child's memory and CPU time (not on Windows)."""
    return resource is not None


def nakijken_apart(data: bytes, grenzen: Grenzen) -> Uitslag:
    """Judge the PDF in a child process under the operating system's limits (lines 1 and 2).

    Whatever happens to the child, the file is let through only on its own report that it found
    nothing: a child that is stopped (its memory or CPU limit, the wall-clock timeout, a signal
    from outside) means the file is refused as too complex, and so does a child that fails
    otherwise; that is logged as an error, because then the check, not the file, is at fault.
    """
    wortel = str(Path(__file__).resolve().parents[2])  # the folder that holds `applications`
    omgeving = {naam: os.environ[naam] for naam in _OMGEVING_DOORGEVEN if naam in os.environ}
    omgeving["PYTHONPATH"] = os.pathsep.join(filter(None, [wortel, os.environ.get("PYTHONPATH")]))
    # -B: no bytecode written (the child may write no files).
    opdracht = [sys.executable, "-B", "-m", __name__, json.dumps(asdict(grenzen))]
    try:
        klaar = subprocess.run(  # noqa: S603 (our own module, arguments we made)
            opdracht,
            input=data,
            capture_output=True,
            timeout=grenzen.wachttijd,
            env=omgeving,
            cwd=wortel,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child and waited for it
        logger.warning(
            "PDF check: child process stopped after %s s (wall clock)", grenzen.wachttijd
        )
        return Uitslag(TE_COMPLEX)
    except OSError as exc:  # no interpreter at sys.executable (embedded Python, uWSGI, ...)
        logger.error("PDF check: child process could not start: %s", exc)
        return Uitslag(TE_COMPLEX)
    if klaar.returncode == 0:
        uitslag = _uitslag(klaar.stdout)
        if uitslag is not None:
            return uitslag
    elif klaar.returncode < 0:  # a signal: SIGXCPU (its CPU limit), SIGKILL (the OOM killer, ...)
        logger.warning("PDF check: child process stopped by %s", _signaal(-klaar.returncode))
        return Uitslag(TE_COMPLEX)
    elif _laatste_regel(klaar.stderr).startswith(("MemoryError", "SystemError")):
        # Its memory limit, reached outside the check (as it read the file, or as it answered).
        logger.warning("PDF check: child process out of memory (%s)", _laatste_regel(klaar.stderr))
        return Uitslag(TE_COMPLEX)
    logger.error(
        "PDF check: child process failed (exit %s): %s",
        klaar.returncode,
        klaar.stderr.decode(errors="replace")[-2000:],
    )
    return Uitslag(TE_COMPLEX)


def _laatste_regel(uitvoer: bytes) -> str:
    return uitvoer.decode(errors="replace").rstrip().rpartition("\n")[2]


def _signaal(nummer: int) -> str:
    try:
        return signal.Signals(nummer).name
    except ValueError:
        return f"signal {nummer}"


_FOUTEN = {WACHTWOORD, VERSLEUTELD, KAPOT, GEEN_PAGINAS, TE_COMPLEX}
_SOORTEN = {*_SLEUTELS.values(), *_WAARDEN.values(), AUTOMATISCHE_LINK, ANDER_BESTAND}


def _uitslag(uitvoer: bytes) -> Uitslag | None:
    """The child's report, if it is one: only codes this module makes, a whole number of pages."""
    try:
        gelezen = json.loads(uitvoer)
        uitslag = Uitslag(**gelezen)
    except (ValueError, TypeError):
        return None
    if (
        uitslag.fout not in {None, *_FOUTEN}
        or type(uitslag.paginas) is not int
        or not isinstance(uitslag.gevonden, list)
        or not set(uitslag.gevonden) <= _SOORTEN
    ):
        return None
    return uitslag


def _begrens_proces(grenzen: Grenzen) -> None:
    """The child's own limits, set before it reads the file: memory (address space), CPU time,
    no file written and no core dump (a child stopped at its CPU limit would leave one).

    At its CPU time the child gets SIGXCPU, which ends it (and names the cause in the parent's
    log); SIGKILL a second later if it did not end. A limit the system already holds lower stays
    as it is. A limit that cannot be set raises: the child then fails and the file is refused,
    never checked without its limits.
    """
    if resource is None:
        raise RuntimeError("This system cannot limit a process (no module resource).")
    for soort, zacht, hard in (
        (resource.RLIMIT_AS, grenzen.geheugen_bytes, grenzen.geheugen_bytes),  # macOS ignores it
        (resource.RLIMIT_CPU, grenzen.cpu_seconden, grenzen.cpu_seconden + 1),
        (resource.RLIMIT_FSIZE, 0, 0),
        (resource.RLIMIT_CORE, 0, 0),
    ):
        _nu, al_hard = resource.getrlimit(soort)
        if al_hard != resource.RLIM_INFINITY:
            zacht, hard = min(zacht, al_hard), min(hard, al_hard)
        resource.setrlimit(soort, (zacht, hard))


def _hoofd() -> None:
    grenzen = Grenzen(**json.loads(sys.argv[1]))
    # Past the file size limit (0) a write gets an error rather than a signal that kills.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _begrens_proces(grenzen)
    uitslag = nakijken(io.BytesIO(sys.stdin.buffer.read()), grenzen)
    sys.stdout.write(json.dumps(asdict(uitslag)))


if __name__ == "__main__":
    _hoofd()
