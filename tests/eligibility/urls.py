"""The project's routes plus the calculator's API router, mounted as the
integrator will mount it."""

from django.urls import path
from ninja import NinjaAPI

from cms.urls import urlpatterns as project_urlpatterns
from forms.eligibility.api import router

api = NinjaAPI(urls_namespace="eligibility-test-api")
api.add_router("/calculator", router)

urlpatterns = [path("api/test/", api.urls), *project_urlpatterns]
