"""Private S3-compatible storage (django-storages); a module of its own because boto3 takes a
third of a second to import and only deployments with REGIEROL_S3_BUCKET need it."""

from __future__ import annotations

from storages.backends.s3 import S3Storage

from applications.core.storage import NoUrlMixin


class PrivateS3Storage(NoUrlMixin, S3Storage):
    """Objects in a private bucket: uploaded with ACL `private`, read back by the app server, and
    never handed out as a (pre-signed) URL."""
