"""The REST API v1's URLs (namespace "api", under /api/v1/)."""

from django.urls import path, re_path

from .api import metrics, public, staff, submit, transitions
from .api.errors import not_found

app_name = "api"

urlpatterns = [
    # Public: anyone submits; the tracking token is the key to one request.
    path("inquiries/", submit.InquirySubmitView.as_view(), name="inquiry-submit"),
    path("track/<str:token>/", public.TrackView.as_view(), name="track"),
    path("track/<str:token>/reply/", public.TrackReplyView.as_view(), name="track-reply"),
    path("track/<str:token>/rate/", public.TrackRateView.as_view(), name="track-rate"),
    # Staff: by session or token.
    path("queue/", staff.QueueView.as_view(), name="queue"),
    path("inquiries/<str:reference>/", staff.InquiryDetailView.as_view(), name="inquiry-detail"),
    *[
        path(
            f"inquiries/<str:reference>/transitions/{name}/",
            view.as_view(),
            name=f"inquiry-{name}",
        )
        for name, view in transitions.VIEWS.items()
    ],
    path("companies/", staff.CompanyListView.as_view(), name="company-list"),
    path("companies/<int:pk>/", staff.CompanyDetailView.as_view(), name="company-detail"),
    path("metrics/", metrics.MetricsView.as_view(), name="metrics"),
    # Anything else under /api/v1/ is a 404 in the API's shape, not an HTML page.
    re_path(r"^.*$", not_found, name="not-found"),
]
