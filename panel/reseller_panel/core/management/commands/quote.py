"""`manage.py quote`: read a usage document (JSON) on stdin, print the quote (JSON) on stdout."""
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from reseller_panel.core.pricing import QuoteError, quote


class Command(BaseCommand):
    help = "Price a usage document read from stdin (see docs/pricing.md); prints a JSON breakdown and total."

    def handle(self, *args, **options):
        try:
            usage = json.load(sys.stdin)
        except ValueError as error:
            raise CommandError("stdin is not a JSON document: %s" % error)
        try:
            result = quote(usage)
        except QuoteError as error:
            raise CommandError(str(error))
        self.stdout.write(json.dumps(result, indent=2))
