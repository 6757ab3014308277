"""
Staff login with Django's AuthenticationForm, fed from strict JSON (core.forms): only
`username` and `password`, both text. `confirm_login_allowed` refuses people who are not
staff with the same message as wrong credentials (the API is for staff only, and the
answer should not tell which accounts exist). Before the password is checked the attempt
is counted by the login throttle (accounts.throttle), which may raise LoginThrottled.
"""

from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import ValidationError

from accounts import throttle
from core.forms import JsonFormMixin, TextField

BAD_CREDENTIALS = "Usuario o contraseña incorrectos, o el usuario no es parte del personal."
TOO_LONG = "Es demasiado largo."


class LoginUsernameField(TextField, UsernameField):
    """Text only, then Django's username normalisation (NFKC)."""


class StaffLoginForm(JsonFormMixin, AuthenticationForm):
    username = LoginUsernameField(max_length=150, error_messages={"max_length": TOO_LONG})
    password = TextField(strip=False, max_length=256, error_messages={"max_length": TOO_LONG})

    error_messages = {"invalid_login": BAD_CREDENTIALS, "inactive": BAD_CREDENTIALS}

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")

    def clean(self):
        self.add_unknown_key_errors()
        if self.errors:  # the password is only checked for a well-formed request
            return self.cleaned_data
        throttle.register_attempt(self.request, self.cleaned_data["username"])
        return AuthenticationForm.clean(self)
