"""Applicant-facing routes of the application engine: drafts, "我的申请", files."""

from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.my_applications, name="mine"),
    path("<uuid:application_uuid>/", views.detail_view, name="detail"),
    path("<uuid:application_uuid>/step/<int:number>/", views.step_view, name="step"),
    path("<uuid:application_uuid>/review/", views.review_view, name="review"),
    path("<uuid:application_uuid>/receipt/", views.receipt_view, name="receipt"),
    path("<uuid:application_uuid>/delete/", views.delete_draft, name="delete"),
    path("files/<uuid:file_uuid>/", views.download_file, name="file"),
]
