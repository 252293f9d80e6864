# The queue and its search at a million requests (issue 8; docs/PERFORMANCE.md has the plans).
#
# - inquiry_open_queue replaces inquiry_queue: partial (open requests only, about 1.4 % of them
#   at 1,000,000) and covering, so the queue's count, quick counts and due-time order are
#   index-only scans of one unit's entries.
# - inquiry_open_company / inquiry_open_contact: the open requests of the companies and
#   requesters a search word matches (inquiries.search).
# - Trigram indexes (pg_trgm) for `UPPER(column) LIKE UPPER('%word%')`, which icontains becomes
#   on PostgreSQL: the open requests' reference, subject and company name; companies' names
#   and business IDs; requesters' names and e-mail addresses. The two on crm's tables are not
#   declared on the models (crm does not know about the queue's search); they are made and
#   dropped here. Migration 0006 replaces the first with one on a single expression.
# PostgreSQL only: on SQLite the trigram operations do nothing (the search scans there).

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

OPEN = models.Q(("status__in", ["new", "queued", "in_progress", "awaiting_customer"]))

INQUIRY_SEARCH = django.contrib.postgres.indexes.GinIndex(
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

CRM_INDEXES = {
    "crm_company_search": ("crm_company", ("name", "business_id")),
    "crm_contact_search": ("crm_contact", ("name", "email")),
}


def _on_postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def add_inquiry_search(apps, schema_editor):
    if _on_postgresql(schema_editor):
        schema_editor.add_index(apps.get_model("inquiries", "Inquiry"), INQUIRY_SEARCH)


def remove_inquiry_search(apps, schema_editor):
    if _on_postgresql(schema_editor):
        schema_editor.remove_index(apps.get_model("inquiries", "Inquiry"), INQUIRY_SEARCH)


def add_crm_search(apps, schema_editor):
    if not _on_postgresql(schema_editor):
        return
    for name, (table, columns) in CRM_INDEXES.items():
        keys = ", ".join(f'UPPER("{column}") gin_trgm_ops' for column in columns)
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{table}" USING gin ({keys})')


def remove_crm_search(apps, schema_editor):
    if not _on_postgresql(schema_editor):
        return
    for name in CRM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0001_initial"),
        ("inquiries", "0004_dashboard_snapshots"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RemoveIndex(
            model_name="inquiry",
            name="inquiry_queue",
        ),
        migrations.AddIndex(
            model_name="inquiry",
            index=models.Index(
                condition=OPEN,
                fields=["unit", "status"],
                include=(
                    "id",
                    "assignee",
                    "first_response_at",
                    "first_response_due",
                    "resolution_due",
                    "first_response_risk_at",
                    "resolution_risk_at",
                    "request_type",
                    "language",
                    "channel",
                    "submitted_at",
                    "updated_at",
                ),
                name="inquiry_open_queue",
            ),
        ),
        migrations.AddIndex(
            model_name="inquiry",
            index=models.Index(condition=OPEN, fields=["company"], name="inquiry_open_company"),
        ),
        migrations.AddIndex(
            model_name="inquiry",
            index=models.Index(condition=OPEN, fields=["contact"], name="inquiry_open_contact"),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(add_inquiry_search, remove_inquiry_search),
            ],
            state_operations=[
                migrations.AddIndex(model_name="inquiry", index=INQUIRY_SEARCH),
            ],
        ),
        migrations.RunPython(add_crm_search, remove_crm_search),
    ]
