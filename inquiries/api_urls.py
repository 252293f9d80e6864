from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("inquiries/", api.InquirySubmitView.as_view(), name="inquiry-submit"),
]
