"""Free texts with a maximum length: in the model, in the database, in the form and in the browser.

A text without limit let one user save 4 MB and stall the PDF for everyone. Each free text now
has a limit that fits what it is for (each app keeps its limits in its `constants.py`, with the
reasoning), enforced three times:

- the model field `BegrensdeTekst` carries the validator (`full_clean`, ModelForms) and makes its
  form field;
- a database constraint (`lengte_beperking`) refuses what bypasses both, added with
  `BeperkingZonderOudeRijen`, which on PostgreSQL leaves texts saved before the limit as they are
  (NOT VALID: checked for new and changed rows only; nothing truncated, nothing lost);
- the form field `BegrensdeTekstveld` refuses a longer text with the same words as the counter
  beside the field ("4.012 / 4.000 tekens"), and never puts a `maxlength` on the field: a browser
  would cut a pasted text without a word. `static/js/tekstteller.js` shows the counter.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import BaseValidator
from django.db import migrations, models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import ngettext


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
    """AddConstraint that, on PostgreSQL, checks new and changed rows only (NOT VALID): a text
    saved before its limit existed stays as it was. SQLite (the demo) adds it as usual."""

    model_name: str
    constraint: models.BaseConstraint

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            sql = self.constraint.create_sql(model, schema_editor)
            schema_editor.execute(f"{sql} NOT VALID")
