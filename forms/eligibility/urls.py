"""Public routes of eligibility: the calculator and 我的待遇."""

from django.urls import path

from forms.eligibility import views

app_name = "eligibility"
urlpatterns = [
    path("", views.calculator, name="calculator"),
    path("mine/", views.my_benefits, name="mine"),
]
