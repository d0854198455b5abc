from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from smartcommune.places.models import Commune, Village

from .models import Department, Role
from .services import COMMUNE_ASSIGNABLE

ROLE_CHOICES = [(value, label) for value, label in Role.choices if value in COMMUNE_ASSIGNABLE]


class RoleFields(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none(), required=False)
    department = forms.ChoiceField(label=_("Department"), choices=[("", "—"), *Department.choices], required=False)
    organisation_code = forms.CharField(
        label=_("Organisation code"), max_length=30, required=False, help_text=_("For cooperative managers.")
    )

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.in_commune(commune).active()


class UserCreateForm(RoleFields):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=15, required=False)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    field_order = [
        "username",
        "full_name",
        "email",
        "phone",
        "password",
        "role",
        "department",
        "village",
        "organisation_code",
    ]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("Which system will use it."))


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong user name or password. Both are case-sensitive."),
        "inactive": _("This account is deactivated. Ask your commune's administrator."),
    }
