# The session's row no longer names its journal: pages read the session and the answers
# with two plain queries (the one-query union that needed it is gone).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0002_session_names_its_journal"),
    ]

    operations = [
        migrations.RemoveField(model_name="visitorsession", name="journal_pk"),
    ]
