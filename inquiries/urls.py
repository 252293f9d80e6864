"""The portal's URLs (namespace "portal"): each view module lists its own routes."""

from .views import public, tracking

app_name = "portal"

urlpatterns = public.urlpatterns + tracking.urlpatterns
