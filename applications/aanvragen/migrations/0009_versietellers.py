"""The counters of `versietellers`; their triggers are made after every migrate (the app's
post_migrate), not here: SQLite drops a table's triggers when a later migration rebuilds it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("aanvragen", "0008_indiening_wijzigingsnummer"),
    ]

    operations = [
        migrations.CreateModel(
            name="Referentieversie",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("waarde", models.PositiveBigIntegerField(default=0, verbose_name="waarde")),
            ],
            options={
                "verbose_name": "referentieversie",
                "verbose_name_plural": "referentieversies",
            },
        ),
        migrations.AddField(
            model_name="aanvraag",
            name="inhoudsversie",
            field=models.PositiveBigIntegerField(
                default=0, editable=False, verbose_name="inhoudsversie"
            ),
        ),
    ]
