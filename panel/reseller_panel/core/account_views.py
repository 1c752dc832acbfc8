"""Password reset on every host, with Django's own views: the e-mail carries the host's brand and a link to
that host, and the link works on that host only (a user is found only where they may sign in)."""
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from . import mail


class HostPasswordResetForm(auth_forms.PasswordResetForm):
    """Finds only the accounts of the requesting host; mails through that host's connection and brand."""

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.belongs_to(self.site.reseller))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        # Django's own token, uid and link parts; the templates and the transport are the host's.
        mail.send(self.site.brand, self.site.reseller, "password_reset", context, to_email)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = HostPasswordResetForm
    template_name = "panel/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def get_form_kwargs(self):
        return dict(super().get_form_kwargs(), site=self.request.panel_site)

    def form_valid(self, form):
        brand = self.request.panel_site.brand
        # Links are built from the end-user panel's URL as recorded (with its port), not from the Host header.
        self.domain_override = brand.domain or None
        self.from_email = brand.from_email
        self.extra_email_context = {"brand": brand}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "panel/password_reset_done.html"


@method_decorator(never_cache, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "panel/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is not None and not user.belongs_to(self.request.panel_site.reseller):
            return None  # another host's account: the link is not valid here
        return user


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "panel/password_reset_complete.html"
