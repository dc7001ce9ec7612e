"""Public verification of talent cards (no account needed)."""

from django.urls import path

from forms.cards import views

app_name = "cards"
urlpatterns = [
    path("keys.json", views.public_keys, name="keys"),
    path("partner/<slug:code>/", views.partner_link, name="partner"),
    path("<str:token>", views.verify, name="verify"),
]
