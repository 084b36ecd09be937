"""The evaluation's tables. On SQLite, the contributions and the feedback are stored WITHOUT
ROWID: an ordinary SQLite table numbers its rows in the order they are made (the rowid), and
that order would say which contribution came after which. Without it, rows sit in the order of
their random UUID keys (docs/threat-model.md)."""

import uuid
from django.db import migrations, models


RANDOM_ORDER_TABLES = ("evaluation_contribution", "evaluation_feedback")


def without_rowid(apps, schema_editor):
    """Make the two tables again, empty, as WITHOUT ROWID tables (SQLite only)."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in RANDOM_ORDER_TABLES:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
            (sql,) = cursor.fetchone()
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL", [table])
            indexes = [row[0] for row in cursor.fetchall()]
            cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute(f"{sql} WITHOUT ROWID")
            for index in indexes:
                cursor.execute(index)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Feedback',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('module', models.CharField(max_length=64)),
                ('week', models.CharField(max_length=8)),
                ('helpfulness', models.PositiveSmallIntegerField(null=True)),
                ('recommend', models.CharField(blank=True, max_length=8)),
                ('intent', models.CharField(blank=True, max_length=8)),
            ],
        ),
        migrations.CreateModel(
            name='Contribution',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('module', models.CharField(max_length=64)),
                ('week', models.CharField(max_length=8)),
                ('ratings', models.JSONField()),
            ],
            options={
                'indexes': [models.Index(fields=['module', 'week'], name='evaluation__module_52a7f4_idx')],
            },
        ),
        migrations.CreateModel(
            name='StepCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('module', models.CharField(max_length=64)),
                ('step', models.CharField(max_length=64)),
                ('week', models.CharField(max_length=8)),
                ('reached', models.PositiveIntegerField(default=0)),
                ('saved', models.PositiveIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('module', 'step', 'week'), name='one_count_per_week')],
            },
        ),
        migrations.RunPython(without_rowid, migrations.RunPython.noop),
    ]
