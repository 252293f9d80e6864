"""The hand-built data set of the dashboard's view tests, for the other dashboard tests too."""

from tests.dashboard.test_dashboard_views import data_set  # noqa: F401 (a fixture)
