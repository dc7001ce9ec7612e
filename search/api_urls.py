"""JSON search API at /api/search/ (filled by the search issue)."""

app_name = "search_api"
urlpatterns: list = []
