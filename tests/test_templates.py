"""Where the templates live: each app's in `applications/<app>/templates/<app>/`, the project's
own (base, error pages, `registration/`, the `admin/` overrides) in `templates/`. Every template
is found under its own name: none is hidden by another one of the same name (django.contrib.admin
ships `registration/` pages of its own, and comes first in INSTALLED_APPS)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.template import Engine

PROJECT = Path(settings.BASE_DIR) / "templates"
APPS = Path(settings.BASE_DIR) / "applications"

# What stays in the project's templates/: the frame, the error pages Django looks up by these
# names, the names Django's auth views use, and the admin's overrides.
PROJECT_LEVEL = {"base.html", "403.html", "403_csrf.html", "404.html", "500.html"}
PROJECT_FOLDERS = {"registration", "admin"}


def _template_files() -> Iterator[tuple[str, Path]]:
    """(name, file) of every template of the project and its apps."""
    for folder in [PROJECT, *sorted(APPS.glob("*/templates"))]:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                yield path.relative_to(folder).as_posix(), path


def test_every_template_is_found_under_its_own_name() -> None:
    found = {
        name: Path(Engine.get_default().get_template(name).origin.name)
        for name, _path in _template_files()
    }
    hidden = {
        name: str(found[name]) for name, path in _template_files() if found[name] != path.resolve()
    }
    assert hidden == {}
    assert "registration/login.html" in found
    assert "aanvragen/pdf/aanvraag.html" in found


def test_app_templates_are_named_after_their_app_and_the_project_keeps_its_own() -> None:
    misplaced = [
        str(path.relative_to(settings.BASE_DIR))
        for name, path in _template_files()
        if path.is_relative_to(APPS) and name.split("/")[0] != path.relative_to(APPS).parts[0]
    ]
    assert misplaced == []
    project = {p.name for p in PROJECT.iterdir()}
    assert project - PROJECT_LEVEL - PROJECT_FOLDERS == set()
