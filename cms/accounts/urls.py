from django.contrib.auth import views as auth_views
from django.urls import path

from . import otp_views, views

app_name = "accounts"
urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("login/", views.LoginView.as_view(), name="login"),
    # POST only (Django's LogoutView refuses GET), and it flushes the session.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("otp/verify/", otp_views.VerifyView.as_view(), name="otp_verify"),
    path("otp/setup/", otp_views.SetupView.as_view(), name="otp_setup"),
    path(
        "otp/recovery-codes/",
        otp_views.RecoveryCodesView.as_view(),
        name="otp_recovery_codes",
    ),
    path(
        "password/change/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password/reset/mobile/",
        views.MobilePasswordResetView.as_view(),
        name="password_reset_mobile",
    ),
]
