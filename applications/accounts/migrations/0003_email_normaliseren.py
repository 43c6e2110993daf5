"""Every stored e-mail address in its one spelling (NFKC, case-folded, domain in ASCII), as
`applications.accounts.emails.normaliseer_email` writes it from now on.

Two accounts whose addresses become the same (only possible for addresses that differed by a
look-alike letter, e.g. `ſ` and `s`) are not merged: the second keeps its old spelling and is named
in the migration's output, for a beheerder to look at. The function is copied here, as it was, so
that this migration never changes."""

from __future__ import annotations

import contextlib
import unicodedata

from django.db import migrations


def _normaliseer(adres: str) -> str:
    tekst = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", adres).casefold()).strip()
    lokaal, at, domein = tekst.rpartition("@")
    if not at:
        return tekst
    with contextlib.suppress(UnicodeError):
        domein = domein.encode("idna").decode("ascii")
    return f"{lokaal}@{domein}"


def normaliseren(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    bezet = set(User.objects.values_list("email", flat=True))
    for pk, email in User.objects.order_by("pk").values_list("pk", "email"):
        nieuw = _normaliseer(email)
        if nieuw == email:
            continue
        if nieuw in bezet:
            print(f"\n  accounts: {email!r} (gebruiker {pk}) blijft zo: {nieuw!r} bestaat al.")
            continue
        User.objects.filter(pk=pk).update(email=nieuw)
        bezet.discard(email)
        bezet.add(nieuw)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_rollen")]

    operations = [migrations.RunPython(normaliseren, migrations.RunPython.noop)]
