# Every journal records how its phrase is stretched. Journals made before get the derivation
# they were made with: version 1, with BAKEN_KDF_LEGACY's parameters (the earlier defaults).

from django.conf import settings
from django.db import migrations, models


def legacy_label(apps, schema_editor):
    params = settings.BAKEN_KDF_LEGACY
    label = (f"argon2id-v1:m={params['memory_kib']},t={params['iterations']},"
             f"p={params['lanes']}")
    apps.get_model("journal", "Journal").objects.filter(kdf="").update(kdf=label)


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0003_session_forgets_its_journal"),
    ]

    operations = [
        migrations.AddField(
            model_name="journal",
            name="kdf",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(legacy_label, migrations.RunPython.noop),
    ]
