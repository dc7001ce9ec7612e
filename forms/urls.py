"""Applicant-facing routes of the application engine: drafts, "我的申请", files,
and following a case (forms/applying/tracking.py)."""

from django.urls import path

from forms.applying import tracking, views
from forms.cards import views as cards
from forms.notifications import inbox
from forms.reporting import ratings

app_name = "applications"
urlpatterns = [
    path("", tracking.my_applications, name="mine"),
    path("progress/", tracking.progress, name="progress"),
    path("card/", cards.my_card, name="card"),
    path("messages/", inbox.message_list, name="messages"),
    path("messages/read-all/", inbox.mark_all_read, name="messages_read"),
    path("messages/<int:message_id>/", inbox.message_detail, name="message"),
    path("<uuid:application_uuid>/", tracking.detail, name="detail"),
    path("<uuid:application_uuid>/step/<int:number>/", views.step_view, name="step"),
    path("<uuid:application_uuid>/review/", views.review_view, name="review"),
    path("<uuid:application_uuid>/receipt/", views.receipt_view, name="receipt"),
    path("<uuid:application_uuid>/delete/", views.delete_draft, name="delete"),
    path(
        "<uuid:application_uuid>/supplement/",
        tracking.supplement_view,
        name="supplement",
    ),
    path(
        "<uuid:application_uuid>/materials/", tracking.materials_view, name="materials"
    ),
    path("<uuid:application_uuid>/withdraw/", tracking.withdraw, name="withdraw"),
    path("<uuid:application_uuid>/rate/", ratings.rate_view, name="rate"),
    path("files/<uuid:file_uuid>/", views.download_file, name="file"),
]
