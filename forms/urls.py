"""Applicant-facing routes of the application engine: drafts, "我的申请", files."""

app_name = "applications"
urlpatterns: list = []
