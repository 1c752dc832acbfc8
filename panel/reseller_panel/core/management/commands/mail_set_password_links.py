"""`manage.py mail_set_password_links`: e-mail one-time set-password links, read as JSON from standard input.

The provisioner (panel_resellers with set_password_delivery: email) runs it inside its transaction with
[{"username": ..., "email": ..., "link": ...}, ...] on stdin, so links never appear on a command line. The
links lead to the provider's host, so the messages carry the provider's brand and go through the provider's
mail connection. Exits non-zero, naming the user, at the first message that cannot be sent: the provisioner
then rolls back and the next run issues new links.
"""
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from reseller_panel.core import mail
from reseller_panel.core.brand import provider_brand
from reseller_panel.core.models import Setting


class Command(BaseCommand):
    help = "E-mail set-password links given as JSON on standard input, in the provider's brand."

    def handle(self, *args, **options):
        try:
            links = json.load(sys.stdin)
            if not isinstance(links, list) or not all(
                    isinstance(item, dict) and {"username", "email", "link"} <= set(item) for item in links):
                raise ValueError("expected a list of {username, email, link}")
        except ValueError as error:
            raise CommandError("standard input: %s" % error)
        brand = provider_brand(Setting.objects.as_dict().get("provider.frontend_url"))
        sent = []
        for item in links:
            try:
                mail.send(brand, None, "set_password", {"username": item["username"], "link": item["link"]},
                          item["email"])
            except Exception as error:  # SMTP and socket errors alike
                raise CommandError("the set-password link of %s could not be sent to %s: %s"
                                   % (item["username"], item["email"], error))
            sent.append(item["username"])
        self.stdout.write(json.dumps({"sent": sent}))
