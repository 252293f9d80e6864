# The queue's search at a million requests, second step (docs/PERFORMANCE.md).
#
# inquiry_open_search of 0005 indexed the three searched columns separately; a word then was an
# OR of three trigram conditions, which PostgreSQL costed above reading every open request, so
# the index went unused (about 30-45 ms a word at 1,000,000 requests). Now it is one expression,
# UPPER((reference || ' ' || subject || ' ' || company_name)::text): exactly what icontains makes
# of Inquiry's search_text(), so the query and the index match (0.1-12 ms a word).
# fastupdate off on it and on the two crm trigram indexes of 0005: a search never has to scan a
# pending list of recent inserts (a new request, a new requester pay the index update at once).
# PostgreSQL only: on SQLite nothing happens to the database.

import django.contrib.postgres.indexes
import django.db.models.functions.comparison
import django.db.models.functions.text
from django.db import migrations, models

OPEN = models.Q(("status__in", ["new", "queued", "in_progress", "awaiting_customer"]))

OLD_SEARCH = django.contrib.postgres.indexes.GinIndex(
    django.contrib.postgres.indexes.OpClass(
        django.db.models.functions.text.Upper("reference"), name="gin_trgm_ops"
    ),
    django.contrib.postgres.indexes.OpClass(
        django.db.models.functions.text.Upper("subject"), name="gin_trgm_ops"
    ),
    django.contrib.postgres.indexes.OpClass(
        django.db.models.functions.text.Upper("company_name"), name="gin_trgm_ops"
    ),
    condition=OPEN,
    name="inquiry_open_search",
)

NEW_SEARCH = django.contrib.postgres.indexes.GinIndex(
    django.contrib.postgres.indexes.OpClass(
        django.db.models.functions.text.Upper(
            django.db.models.functions.comparison.Cast(
                django.db.models.functions.text.Concat(
                    "reference",
                    models.Value(" "),
                    "subject",
                    models.Value(" "),
                    "company_name",
                    output_field=models.TextField(),
                ),
                models.TextField(),
            )
        ),
        name="gin_trgm_ops",
    ),
    condition=OPEN,
    fastupdate=False,
    name="inquiry_open_search",
)

CRM_INDEXES = ("crm_company_search", "crm_contact_search")


def _swap(apps, schema_editor, old, new, fastupdate: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    inquiry = apps.get_model("inquiries", "Inquiry")
    schema_editor.remove_index(inquiry, old)
    schema_editor.add_index(inquiry, new)
    for name in CRM_INDEXES:
        schema_editor.execute(f'ALTER INDEX "{name}" SET (fastupdate = {fastupdate})')


def forwards(apps, schema_editor):
    _swap(apps, schema_editor, OLD_SEARCH, NEW_SEARCH, "off")


def backwards(apps, schema_editor):
    _swap(apps, schema_editor, NEW_SEARCH, OLD_SEARCH, "on")


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0005_search_and_queue_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.RemoveIndex(model_name="inquiry", name="inquiry_open_search"),
                migrations.AddIndex(model_name="inquiry", index=NEW_SEARCH),
            ],
        ),
    ]
