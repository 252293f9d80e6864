"""Open311 GeoReport v2 (namespace "open311"): every method by format, services.json or .xml."""

from django.urls import path, register_converter

from . import views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311_format")

app_name = "open311"

urlpatterns = [
    path("discovery.<open311_format:fmt>", views.discovery, name="discovery"),
    path("services.<open311_format:fmt>", views.services, name="services"),
    path(
        "services/<slug:service_code>.<open311_format:fmt>",
        views.service_definition,
        name="service-definition",
    ),
    path("requests.<open311_format:fmt>", views.requests, name="requests"),
    path(
        "requests/<str:service_request_id>.<open311_format:fmt>",
        views.service_request,
        name="request",
    ),
]
