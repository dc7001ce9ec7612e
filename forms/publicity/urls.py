"""Public publicity (公示) pages, included at /publicity/ by cms/urls.py."""

from django.urls import path

from forms.publicity import views as publicity_views

app_name = "publicity"
urlpatterns = [
    path("", publicity_views.batch_list, name="list"),
    path("<int:batch_id>/", publicity_views.batch_detail, name="detail"),
]
