"""The conflict screen of the regisseur's forms (contact, texts, an action): a save refused
because someone saved the same fields meanwhile (`services.ConcurrentEditError`).

The screen shows, per field, what the user's input changes in the stored version, word by word,
and asks for one choice (`Keuze`):

- MIJN: the input is saved over the stored version the screen showed;
- HUN: the input is dropped, the page shows the stored version again, nothing is saved;
- SAMENVOEGEN: the input stays in the form with the stored value under each field that differs
  and the keyboard at the first of them; the next save overwrites that stored version.

Until the user chooses, nothing they typed is lost: it stays in the form, which carries the
version of what the screen showed (`Conflict.versie`), so a save is a deliberate overwrite of
exactly that, and a colleague's later save is refused and shown again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property

from django import forms
from django.http import HttpRequest

from applications.aanvragen.services import ConcurrentEditError, FieldChange
from applications.accounts.models import User
from applications.core.word_diff import WordDiff, word_diff

# Words shown around each change; a longer unchanged stretch between changes is left out ("[…]"),
# so that every change of a six-page text is seen without scrolling through it.
DIFF_CONTEXT = 15


class Keuze(StrEnum):
    """What the user does with input that a colleague's save overtook: the value of the button
    they press (its wording is in partials/_conflict.html, the same on every page)."""

    MIJN = "mijn"  # "Mijn versie bewaren"
    HUN = "hun"  # "Hun versie overnemen"
    SAMENVOEGEN = "samenvoegen"  # "Zelf samenvoegen"
    # Not a fourth choice: the screen for input that was not refused yet, a text this browser
    # kept while the server could not be reached ("Verschillen bekijken en kiezen",
    # static/js/aanvraag.js), or the differences again after "Zelf samenvoegen".
    VERGELIJKEN = "vergelijken"


def keuze_of(request: HttpRequest) -> Keuze | None:
    """The button the user pressed on the conflict screen; None for a plain save."""
    value = request.POST.get("keuze", "")
    return Keuze(value) if value in set(Keuze) else None


@dataclass(frozen=True)
class ConflictVeld:
    """One field whose stored value is not the user's input."""

    name: str
    label: str
    stored: str
    yours: str

    @cached_property
    def diff(self) -> WordDiff:
        """Computed when the screen shows it (not in merge mode, which shows the stored text)."""
        return word_diff(self.stored, self.yours, context=DIFF_CONTEXT)


@dataclass(frozen=True)
class Conflict:
    """What the conflict screen shows. `versie` is the stored version it compares with."""

    velden: list[ConflictVeld]
    by: User | None
    at: datetime.datetime
    versie: int
    samenvoegen: bool = False

    @classmethod
    def of(
        cls,
        changes: list[FieldChange],
        *,
        by: User | None,
        at: datetime.datetime,
        versie: int,
        samenvoegen: bool = False,
    ) -> Conflict:
        velden = [ConflictVeld(c.name, c.label, c.stored, c.yours) for c in changes]
        return cls(velden, by, at, versie, samenvoegen)

    @classmethod
    def refused(cls, exc: ConcurrentEditError) -> Conflict:
        return cls.of(exc.changes, by=exc.by, at=exc.at, versie=exc.versie)

    def labelled_as_in(self, form: forms.Form) -> Conflict:
        """Each field named as the form names it ("Naam contactpersoon", not the model's
        "Contactpersoon"), so that every difference is found back in the form."""
        velden = [
            replace(veld, label=str(form.fields[veld.name].label or veld.label))
            if veld.name in form.fields
            else veld
            for veld in self.velden
        ]
        return replace(self, velden=velden)


def merge_rows(
    form: forms.Form, conflict: Conflict
) -> list[tuple[forms.BoundField, ConflictVeld | None]]:
    """Every field of the form, each with its stored value when that differs (merge mode).

    The field is described by the note under it that the stored version follows, and the
    keyboard starts at the first field that differs.
    """
    differing = {veld.name: veld for veld in conflict.velden}
    rows: list[tuple[forms.BoundField, ConflictVeld | None]] = []
    for bound in form:
        veld = differing.get(bound.name)
        if veld is not None:
            attrs = form.fields[bound.name].widget.attrs
            described = [f"{bound.auto_id}_opgeslagen_uitleg"]
            if bound.help_text:
                described.append(f"{bound.auto_id}_helptext")
            attrs["aria-describedby"] = " ".join(described)
            if not any(other is not None for _field, other in rows):
                attrs["autofocus"] = True
        rows.append((bound, veld))
    return rows
