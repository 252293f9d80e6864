"""The public pages of the portal: home, the request form, the receipt, privacy, feedback."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
