import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("uitvoering", "0003_opvolgherinneringen"),
    ]

    operations = [
        migrations.AddField(
            model_name="opvolgmoment",
            name="gewijzigd_op",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="gewijzigd op"),
        ),
    ]
