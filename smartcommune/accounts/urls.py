from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password_change_done")),
        name="password_change",
    ),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "quen-mat-khau/",
        auth_views.PasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "dat-lai/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("accounts:password_reset_complete")),
        name="password_reset_confirm",
    ),
    path("dat-lai/xong/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("", views.home, name="home"),
    path("ho-so/", views.profile, name="profile"),
    path("ho-so/token/", views.token_create, name="token_create"),
    path("ho-so/token/<int:token_id>/thu-hoi/", views.token_revoke, name="token_revoke"),
    path("xa/<str:commune_code>/nguoi-dung/", views.user_list, name="users"),
    path("xa/<str:commune_code>/nguoi-dung/<int:user_id>/", views.user_detail, name="user_detail"),
    path("xa/<str:commune_code>/nguoi-dung/<int:user_id>/kich-hoat/", views.user_set_active, name="user_set_active"),
    path("xa/<str:commune_code>/vai-tro/<int:assignment_id>/xoa/", views.role_remove, name="role_remove"),
]
