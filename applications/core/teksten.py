"""Free texts with a maximum length: in the model, in the database, in the form and in the browser.

A text without limit let one user save 4 MB and stall the PDF for everyone. Each free text now
has a limit that fits what it is for (each app keeps its limits in its `constants.py`, with the
reasoning), enforced three times:

- the model field `BegrensdeTekst` carries the validator (`full_clean`, ModelForms) and makes its
  form field;
- a database constraint (`lengte_beperking`) refuses what bypasses both, added with
  `BeperkingZonderOudeRijen`, which leaves a text saved before the limit as it is and its row
  writable (nothing truncated, nothing lost, no row that can no longer change its status);
- the form field `BegrensdeTekstveld` (`BegrensdeRegel` for a one-line text) refuses a longer
  text with the same words as the counter beside the field ("4.012 / 4.000 tekens"), and never
  puts a `maxlength` on the field: a browser would cut a pasted text without a word.
  `static/js/tekstteller.js` shows the counter. Both count characters (code points) and a line
  break as one, as the database's `length()` does.
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.core.validators import BaseValidator
from django.db import migrations, models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)


def tekens(aantal: int) -> str:
    """A count as Flemish readers write it: 4.000, not 4000 or 4,000."""
    return number_format(aantal, force_grouping=True, use_l10n=True)


@deconstructible
class TekstLimiet(BaseValidator):
    """At most `limit_value` characters, said as the counter says it."""

    code = "te_lang"

    def __init__(self, limit_value: int) -> None:
        super().__init__(limit_value)

    def __call__(self, value: Any) -> None:
        lengte = len(value or "")
        if lengte > self.limit_value:
            from django.core.exceptions import ValidationError

            te_veel = lengte - self.limit_value
            raise ValidationError(
                ngettext(
                    "%(lengte)s / %(max)s tekens: %(te_veel)s teken te veel. Maak de tekst "
                    "korter; wat u typte, staat nog in het veld.",
                    "%(lengte)s / %(max)s tekens: %(te_veel)s tekens te veel. Maak de tekst "
                    "korter; wat u typte, staat nog in het veld.",
                    te_veel,
                )
                % {
                    "lengte": tekens(lengte),
                    "max": tekens(self.limit_value),
                    "te_veel": tekens(te_veel),
                },
                code=self.code,
            )


class BegrensdeTekstveld(forms.CharField):
    """A text area with a counter of characters and a limit checked on the server."""

    def __init__(self, *, limiet: int, **kwargs: Any) -> None:
        widget = kwargs.pop("widget", None) or forms.Textarea(attrs={"rows": 6})
        if isinstance(widget, type):
            widget = widget()
        widget.attrs["data-max-tekens"] = str(limiet)
        kwargs.pop("max_length", None)  # never a maxlength attribute (see the module)
        super().__init__(widget=widget, **kwargs)
        self.limiet = limiet
        self.validators.append(TekstLimiet(limiet))

    def to_python(self, value: Any) -> str | None:
        """Line breaks as one character each, as the counter counts them: a browser sends the
        text area's breaks as CR LF, which would count twice against the limit."""
        tekst = super().to_python(value)
        return tekst.replace("\r\n", "\n").replace("\r", "\n") if tekst else tekst


class BegrensdeRegel(BegrensdeTekstveld):
    """A one-line text with the same counter and limit (a title, a target group): no maxlength
    either, which would cut a paste just as well."""

    def __init__(self, *, limiet: int, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(limiet=limiet, **kwargs)


class BegrensdeTekst(models.TextField):
    """A TextField with a limit: its validator, and `BegrensdeTekstveld` in forms."""

    def __init__(self, *args: Any, limiet: int, **kwargs: Any) -> None:
        self.limiet = limiet
        super().__init__(*args, **kwargs)
        self.validators.append(TekstLimiet(limiet))

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["limiet"] = self.limiet
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        defaults: dict[str, Any] = {"form_class": BegrensdeTekstveld, "limiet": self.limiet}
        if "widget" in kwargs and kwargs["widget"] is forms.Textarea:
            kwargs.pop("widget")
        defaults.update(kwargs)
        return super().formfield(**defaults)


def lengte_beperking(veld: str, limiet: int, model: str) -> models.CheckConstraint:
    """The database's own check of a `BegrensdeTekst`, named `<model>_<veld>_lengte`."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(veld), limiet), name=f"{model}_{veld}_lengte"
    )


class BeperkingZonderOudeRijen(migrations.AddConstraint):
    """AddConstraint for a `lengte_beperking` that keeps the texts saved before the limit.

    Rows whose text is already longer are found first (under the table lock that adding the
    constraint takes anyway) and written into the database's constraint as exceptions, each
    capped at the longest of those texts: `length(t) <= 4000 OR (id IN (17, 42) AND length(t) <=
    5230)`. So the migration neither fails nor cuts, those rows stay writable (a status change or
    a new version of an old aanvraag still saves; with a plain NOT VALID constraint PostgreSQL
    would refuse every UPDATE of such a row) and none of them can grow; every other row is
    checked at once, old ones included. The model's state keeps the plain constraint: the form
    and the model still refuse an over-long text whenever someone saves one, so an old text
    shrinks below the limit the next time its author edits it. The exceptions are logged.
    """

    model_name: str
    constraint: models.BaseConstraint

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        alias = schema_editor.connection.alias
        if not self.allow_migrate_model(alias, model):
            return
        assert isinstance(self.constraint, models.CheckConstraint)
        conditie = self.constraint.condition
        assert isinstance(conditie, LessThanOrEqual), "made by lengte_beperking"
        veld, limiet = conditie.lhs.source_expressions[0].name, conditie.rhs
        if (
            schema_editor.connection.vendor == "postgresql"
            and schema_editor.connection.in_atomic_block
        ):
            # No row may grow past the limit between the search and the constraint.
            tabel = schema_editor.quote_name(model._meta.db_table)
            schema_editor.execute(f"LOCK TABLE {tabel} IN ACCESS EXCLUSIVE MODE")
        te_lang = dict(
            model._base_manager.using(alias)
            .annotate(_lengte=Length(veld))
            .filter(_lengte__gt=limiet)
            .values_list("pk", "_lengte")
        )
        beperking = self.constraint
        if te_lang:
            logger.warning(
                "%s.%s: %d rows longer than %d characters kept as they are (ids %s)",
                model._meta.label,
                veld,
                len(te_lang),
                limiet,
                sorted(te_lang),
            )
            beperking = models.CheckConstraint(
                condition=Q(conditie)
                | (
                    Q(pk__in=sorted(te_lang))
                    & Q(LessThanOrEqual(Length(veld), max(te_lang.values())))
                ),
                name=self.constraint.name,
            )
        # SQLite copies the table with the constraints of the model's state: give it these too.
        eigen = model._meta.constraints
        model._meta.constraints = [beperking if c.name == beperking.name else c for c in eigen]
        try:
            schema_editor.add_constraint(model, beperking)
        finally:
            model._meta.constraints = eigen
