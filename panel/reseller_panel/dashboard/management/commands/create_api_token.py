"""`manage.py create_api_token USERNAME [--scope read|write] [--expires-days N] [--name TEXT]`: print a new
reseller API token for a reseller user (docs/api.md). Only its SHA-256 is stored; the token is shown once."""
from django.core.management.base import BaseCommand, CommandError

from reseller_panel.core.models import ApiToken, Reseller, User
from reseller_panel.dashboard.token_forms import ApiTokenForm


class Command(BaseCommand):
    help = "Print a new reseller API token for USERNAME (a reseller user of an active reseller)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scope", choices=[ApiToken.READ, ApiToken.WRITE], default=ApiToken.READ)
        parser.add_argument("--expires-days", type=int, default=None,
                            help="Days until the token stops working (default: it does not expire).")
        parser.add_argument("--name", default="created with create_api_token",
                            help="What the token is for, shown in the dashboard's token list.")

    def handle(self, *args, **options):
        try:
            # Reseller users are provider users: their names are in the provider's name space.
            user = User.objects.get_by_natural_key(options["username"])
        except User.DoesNotExist:
            raise CommandError("no user %r among the provider's users (reseller users are)" % options["username"])
        if Reseller.objects.managed_by(user) is None:
            raise CommandError("user %r is not an active reseller user of an active reseller: a token for it would "
                               "not work" % user.username)
        form = ApiTokenForm({"name": options["name"], "scope": options["scope"],
                             "expires_days": options["expires_days"]})
        if not form.is_valid():
            problems = "; ".join("%s: %s" % (field.replace("_", "-"), " ".join(errors))
                                 for field, errors in form.errors.items())
            raise CommandError("token refused: %s" % problems)
        _row, secret = form.issue(user)
        self.stdout.write(secret)
