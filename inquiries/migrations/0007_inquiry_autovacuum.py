# Keep the queue's index-only scans index-only (docs/PERFORMANCE.md, "Scale").
#
# The queue and its quick counts read one unit's entries of inquiry_open_queue, a covering index:
# PostgreSQL answers from the index alone only for table pages the visibility map marks
# all-visible, and only VACUUM sets those marks. Open requests are the newest rows and the ones
# being worked, so their pages are exactly those a change has unmarked. With the default
# settings autovacuum visits the table after 20 % of its rows changed or were inserted: at
# 1,000,000 requests, after months. Measured at 1,000,000 requests: 7,200 open requests of a
# unit, 2,600 of them fetched from the table, 10 ms a query; after a VACUUM (1.4 s, the visibility
# map lets it skip the untouched table) 120 fetched, 5 ms. Here autovacuum visits the table
# after every 2,000 changed or inserted rows, whatever its size, and analyses it after 5,000.
# PostgreSQL only: on SQLite nothing happens.

from django.db import migrations

TABLE = "inquiries_inquiry"
SETTINGS = {
    "autovacuum_vacuum_scale_factor": "0",
    "autovacuum_vacuum_threshold": "2000",
    "autovacuum_vacuum_insert_scale_factor": "0",
    "autovacuum_vacuum_insert_threshold": "2000",
    "autovacuum_analyze_scale_factor": "0",
    "autovacuum_analyze_threshold": "5000",
}


def tune(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        values = ", ".join(f"{name} = {value}" for name, value in SETTINGS.items())
        schema_editor.execute(f"ALTER TABLE {TABLE} SET ({values})")


def untune(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET ({', '.join(SETTINGS)})")


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0006_search_text_index")]

    operations = [migrations.RunPython(tune, untune, elidable=False)]
