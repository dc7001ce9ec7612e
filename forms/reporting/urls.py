"""Public service-performance pages (include under /performance/)."""

from django.urls import path

from forms.reporting import views as stats_views

app_name = "performance"
urlpatterns = [
    path("", stats_views.performance_list, name="list"),
    path("<int:item_id>/", stats_views.performance_detail, name="detail"),
]
