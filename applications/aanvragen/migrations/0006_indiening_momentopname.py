"""The snapshot's hash of every submission, and a PDF that may still be on its way.

Existing submissions get `inhoud_sha256` from the `inhoud` stored with them, in the canonical form
of `applications.aanvragen.momentopname` (copied here, so that this migration computes the same
hash whatever that module becomes). Their PDF was made at submission and stays as it is: it does not
print the hash, since it was sealed before the snapshot was.
"""

import hashlib
import json

from django.db import migrations, models

import applications.aanvragen.models


def canonieke_json(data):
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def hash_bestaande_inhoud(apps, schema_editor):
    Indiening = apps.get_model("aanvragen", "Indiening")
    for indiening in Indiening.objects.only("pk", "inhoud").iterator(chunk_size=200):
        Indiening.objects.filter(pk=indiening.pk).update(
            inhoud_sha256=hashlib.sha256(canonieke_json(indiening.inhoud)).hexdigest()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("aanvragen", "0005_indiening_mandaat"),
    ]

    operations = [
        migrations.AddField(
            model_name="indiening",
            name="inhoud_sha256",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                verbose_name="SHA-256 van de ingediende inhoud",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(hash_bestaande_inhoud, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="indiening",
            name="pdf",
            field=models.FileField(
                blank=True,
                max_length=300,
                upload_to=applications.aanvragen.models.indiening_path,
                verbose_name="PDF",
            ),
        ),
        migrations.AlterField(
            model_name="indiening",
            name="pdf_sha256",
            field=models.CharField(
                blank=True, db_index=True, max_length=64, verbose_name="SHA-256 van de PDF"
            ),
        ),
        migrations.AlterField(
            model_name="indiening",
            name="pdf_grootte",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="grootte (bytes)"
            ),
        ),
        migrations.AddField(
            model_name="indiening",
            name="pdf_gemaakt_op",
            field=models.DateTimeField(blank=True, null=True, verbose_name="PDF gemaakt op"),
        ),
        migrations.AddField(
            model_name="indiening",
            name="pdf_pogingen",
            field=models.PositiveSmallIntegerField(
                default=0, verbose_name="pogingen om de PDF te maken"
            ),
        ),
        migrations.AddField(
            model_name="indiening",
            name="pdf_volgende_poging",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="volgende poging om de PDF te maken"
            ),
        ),
        migrations.AddField(
            model_name="indiening",
            name="pdf_laatste_fout",
            field=models.CharField(
                blank=True, max_length=500, verbose_name="laatste fout bij het maken van de PDF"
            ),
        ),
        migrations.AddConstraint(
            model_name="indiening",
            constraint=models.CheckConstraint(
                condition=models.Q(("inhoud_sha256__regex", "^[0-9a-f]{64}$")),
                name="indiening_inhoud_sha256_gezet",
            ),
        ),
        migrations.AddConstraint(
            model_name="indiening",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("pdf", ""), ("pdf_grootte__isnull", True), ("pdf_sha256", "")),
                    models.Q(
                        models.Q(("pdf", ""), _negated=True),
                        models.Q(("pdf_sha256", ""), _negated=True),
                        ("pdf_grootte__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="indiening_pdf_met_hash_en_grootte",
            ),
        ),
        migrations.AddIndex(
            model_name="indiening",
            index=models.Index(
                condition=models.Q(("pdf_sha256", "")),
                fields=["pdf_volgende_poging"],
                name="indiening_pdf_wachtend",
            ),
        ),
    ]
