"""The environment of real app servers (gunicorn, the worker) that a test starts on its own
database: the production settings with debug off, plain HTTP on loopback, one private-file folder
for all of them, no mail server."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection


def database_url() -> str:
    """DATABASE_URL with this test's database (pytest-django's test_..., per xdist worker)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def server_env(tmp_path: Path) -> dict[str, str]:
    private = tmp_path / "gedeeld"
    private.mkdir(exist_ok=True)
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "loadtest.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_MANIFEST": "0",
        # One folder for both instances: what the S3 bucket is in production.
        "DJANGO_PRIVATE_MEDIA_ROOT": str(private),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
