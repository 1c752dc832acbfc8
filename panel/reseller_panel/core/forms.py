from django import forms
from django.contrib.auth import password_validation

from . import usernames
from .models import User

# Long enough for any passphrase; longer input is hostile and is not hashed.
MAX_PASSWORD_LENGTH = 1024


class SignupForm(forms.Form):
    TAKEN = "This username is taken."
    LOOKALIKE = "This username looks like one that is taken; choose another."

    username = forms.CharField(max_length=150)
    email = forms.EmailField()
    password = forms.CharField(widget=forms.PasswordInput, strip=False, max_length=MAX_PASSWORD_LENGTH)

    def __init__(self, *args, owner=None, **kwargs):
        """`owner`: the reseller the sign-up lands under (None: the provider); its name space is checked."""
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean_username(self):
        username = usernames.normalize(self.cleaned_data["username"])
        if len(username) > 150:
            raise forms.ValidationError("Ensure this value has at most 150 characters.")
        User.username_validator(username)
        conflict = User.objects.name_conflict(self.owner, username)
        if conflict:
            raise forms.ValidationError(self.TAKEN if conflict == "taken" else self.LOOKALIKE)
        return username

    def clean(self):
        data = super().clean()
        if "password" in data:
            candidate = User(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(data["password"], candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class LoginForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput, strip=False, max_length=MAX_PASSWORD_LENGTH)
