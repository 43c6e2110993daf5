"""Reading the environment: the one way settings read an environment variable. Unset and empty
mean the same (the default); values are taken as they are, never trimmed, because a secret may
hold spaces. A number that is not one stops the start with a message naming the variable."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    """The variable's text, as it is; `default` when it is unset or empty."""
    return os.environ.get(name, "") or default


def env_bool(name: str, default: bool) -> bool:
    """1, true, yes, on and ja (any case) are true; anything else set is false."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_int(name: str, default: int) -> int:
    """A whole number; a value that is not one stops the start."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str) -> list[str]:
    """A comma-separated list, without empty items; `default` when it is unset or empty."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    """A path on disk."""
    return Path(env_str(name)) if env_str(name) else default
