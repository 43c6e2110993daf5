"""One transaction per service, files included.

A service that writes several rows runs in one `transaction.atomic`, so a failure midway leaves
nothing half-done. A file cannot take part in the database's transaction: it is written before the
row that points at it (a row never points at a missing file), and `atomic_with_files` removes it
again when the transaction does not commit. A process killed between the two leaves a file no row
points at; `manage.py bestanden_nakijken` (applications.beheer.bestanden) finds and removes those.
E-mails go out after the commit (`transaction.on_commit`), so a rolled-back change is never
announced; the one exception is `send_deadline_reminders`, which sends each reminder inside the
transaction that records it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files.base import File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)

# The files stored by `store_file` inside the outermost `atomic_with_files` block now running.
_written: ContextVar[list[tuple[Storage, str]] | None] = ContextVar("_written", default=None)


@contextmanager
def atomic_with_files() -> Iterator[None]:
    """`transaction.atomic`, and the files stored with `store_file` inside it are removed again
    when it does not commit: an exception inside the block, or a failing COMMIT.

    Usable as a decorator (`@atomic_with_files()`). Blocks nest: a file of an inner block that
    succeeded goes when an outer one fails. The outermost block knows about the COMMIT only when
    it is the connection's outermost transaction, as it is when a view calls a service; inside
    someone else's `transaction.atomic`, a file stays when that outer transaction rolls back.
    """
    files = _written.get()
    token = None
    if files is None:
        files = []
        token = _written.set(files)
    start = len(files)
    committed: list[bool] = []
    try:
        with transaction.atomic():
            if token is not None:
                # The first hook of this block: when it ran, the COMMIT happened, and an exception
                # raised by a later hook (Django lets it escape) must not remove committed files.
                transaction.on_commit(lambda: committed.append(True))
            yield
    except BaseException:
        if not committed:
            for storage, name in files[start:]:
                _remove(storage, name)
            del files[start:]
        raise
    finally:
        if token is not None:
            _written.reset(token)


def store_file(field_file: FieldFile, name: str, content: File) -> None:
    """Write the file of a row about to be saved (`FieldFile.save` without saving the row).

    Inside `atomic_with_files` the file is removed again if the transaction does not commit. Our
    storages never overwrite (a taken name gets a suffix), so the file removed is always this one;
    a storage set to overwrite (S3's `file_overwrite`) may have replaced a file that another row
    uses, so its file is left in place.
    """
    field_file.save(name, content, save=False)
    files = _written.get()
    overwrites = getattr(field_file.storage, "file_overwrite", False)
    if files is not None and field_file.name and not overwrites:
        files.append((field_file.storage, field_file.name))


def _remove(storage: Storage, name: str) -> None:
    # Never hide the failure that caused the rollback behind one of the clean-up.
    try:
        storage.delete(name)
    except Exception:
        logger.exception("Could not remove %s after a rollback; it is referenced by no row", name)
    else:
        logger.info("Removed %s: its transaction did not commit", name)
