"""Migration 0007: autovacuum visits the requests table after a fixed number of changes.

The queue's covering index answers from the index alone only for pages VACUUM has marked
all-visible; with the default 20 % scale factor a table of a million requests would wait months.
"""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_requests_table_is_vacuumed_after_a_fixed_number_of_changes():
    # given the migrated database
    # when PostgreSQL is asked for the table's storage settings
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'inquiries_inquiry'")
        (options,) = cursor.fetchone()
    # then autovacuum's thresholds do not grow with the table
    assert set(options) >= {
        "autovacuum_vacuum_scale_factor=0",
        "autovacuum_vacuum_threshold=2000",
        "autovacuum_vacuum_insert_scale_factor=0",
        "autovacuum_vacuum_insert_threshold=2000",
        "autovacuum_analyze_scale_factor=0",
        "autovacuum_analyze_threshold=5000",
    }
