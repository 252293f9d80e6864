"""The benchmark's URL conf: the project's URLs plus trivial views to measure pages against.

Used only by `bench_scale` (in process, and as ROOT_URLCONF of its gunicorn via bench.settings);
the project's own URL conf never serves these.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

TRIVIAL_PATH = "/__bench__/trivial/"
TRIVIAL_SIGNED_IN_PATH = "/__bench__/trivial-signed-in/"


def trivial(request: HttpRequest) -> HttpResponse:
    """The least a Django view does: through the middleware, a two-byte answer."""
    return HttpResponse(b"ok", content_type="text/plain")


def trivial_signed_in(request: HttpRequest) -> HttpResponse:
    """The same, having read who is signed in (the session and the user: two queries)."""
    return HttpResponse(request.user.get_username(), content_type="text/plain")


urlpatterns = [
    path(TRIVIAL_PATH.strip("/") + "/", trivial),
    path(TRIVIAL_SIGNED_IN_PATH.strip("/") + "/", trivial_signed_in),
    *project_urlpatterns,
]
