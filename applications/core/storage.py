"""Private file storage: attachments and sealed PDFs have no URL.

Every file is handed out by a view that checks the user (and writes the audit log), reading it
through `storage.open()`. A storage that could make a URL would let a template or the admin link
past those checks, so `url()` refuses. Settings choose this backend, or `PrivateS3Storage`
(applications.storage_s3) when the files live in an S3-compatible bucket.
"""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage


class NoUrlMixin:
    """A storage whose files cannot be reached by URL."""

    def url(self, name: str | None) -> str:
        raise ValueError(
            "Private files have no URL: serve them through a view that checks the user."
        )


class PrivateFileSystemStorage(NoUrlMixin, FileSystemStorage):
    """Files on the local disk (DJANGO_PRIVATE_MEDIA_ROOT), outside every served directory."""
