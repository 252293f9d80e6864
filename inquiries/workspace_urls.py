"""The workspace's URLs (namespace "workspace", under /staff/): each view module lists its own."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views.workspace import company, dashboard, detail, intake, privacy, queue

app_name = "workspace"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="workspace/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    *queue.urlpatterns,
    *detail.urlpatterns,
    *company.urlpatterns,
    *dashboard.urlpatterns,
    *intake.urlpatterns,
    *privacy.urlpatterns,
]
