"""API tokens made in the dashboard (and by `manage.py create_api_token`, which uses the same form)."""
from django import forms

from reseller_panel.core.models import ApiToken

# Longest expiry one may choose: about ten years.
MAX_EXPIRES_DAYS = 3650


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, initial="automation",
                           help_text="What the token is for, for example CI pipeline; only you see it.")
    scope = forms.ChoiceField(choices=ApiToken.SCOPES, initial=ApiToken.READ, widget=forms.RadioSelect,
                              help_text="Read: list plans, configurations, brand, clients, quotes. "
                                        "Read and write: also create, change and archive.")
    expires_days = forms.IntegerField(label="Expires after (days)", required=False, min_value=1,
                                      max_value=MAX_EXPIRES_DAYS,
                                      help_text="Leave empty for a token that does not expire.")

    def clean_name(self):
        name = self.cleaned_data["name"]
        if any(ord(c) < 32 or ord(c) == 127 for c in name):
            raise forms.ValidationError("1-100 printable characters")
        return name

    def issue(self, user):
        """(row, secret) of a new token for `user` from the valid form."""
        data = self.cleaned_data
        return ApiToken.objects.issue(user, data["name"], data["scope"], data["expires_days"])
