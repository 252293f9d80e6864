from django.urls import path

from .views import portal

app_name = "portal"

urlpatterns = [
    path("track/<str:token>/", portal.track, name="track"),
]
