from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("inquiries.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("open311/v2/", include("open311.urls")),
    path("admin/", admin.site.urls),
    path("staff/mail/", include("mailin.views")),
    path("staff/", include("inquiries.workspace_urls")),
    path("", include("inquiries.urls")),
]
