from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from stats.indicators import INDICATOR_CODES
from stats.models import Source, Subscription
from stats.subscriptions import subscription_save


class Command(BaseCommand):
    help = (
        "Create or update the subscription NAME to a table of the statistics database's API (JSON-stat 2.0); "
        "the host must be in STATISTICS_API_HOSTS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", metavar="NAME")
        parser.add_argument("url", metavar="URL", help="the table's address (PxWeb API v1 or v2)")
        parser.add_argument("--indicator", choices=INDICATOR_CODES, help="default: from the table's metadata")
        parser.add_argument("--source", help="source slug (default: the default source)")
        parser.add_argument("--every", choices=Subscription.Every.values, help="how often (default: monthly)")
        parser.add_argument("--query", metavar="FILE", help="PxWeb API v1 JSON query, POSTed to URL")
        parser.add_argument("--auto-confirm", action="store_true", dest="auto_confirm",
                            help="confirm a preview by itself when it only adds values")
        switch = parser.add_mutually_exclusive_group()
        switch.add_argument("--on", action="store_true", help="switch it on (a new subscription is on)")
        switch.add_argument("--off", action="store_true", help="switch it off")

    def handle(self, *args, **options) -> None:
        translation.activate("en")
        source = None
        if options["source"]:
            source = Source.objects.filter(slug=options["source"]).first()
            if source is None:
                known = ", ".join(Source.objects.values_list("slug", flat=True))
                raise CommandError(f"unknown source {options['source']!r}; known sources: {known}")
        query = None
        if options["query"]:
            try:
                query = Path(options["query"]).read_text(encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"{options['query']}: cannot read the query: {exc.strerror}") from exc
        enabled = True if options["on"] else False if options["off"] else None
        try:
            subscription, created = subscription_save(
                name=options["name"], url=options["url"], source=source, indicator=options["indicator"],
                every=options["every"], query=query, enabled=enabled,
                auto_confirm=True if options["auto_confirm"] else None,
            )
        except (ValueError, ValidationError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            self.stderr.write(f"{options['url']}: refused: {'; '.join(messages)}")
            raise SystemExit(1) from exc
        if created and enabled is None:
            Subscription.objects.filter(pk=subscription.pk).update(enabled=True)
            subscription.enabled = True
        state = "on" if subscription.enabled else "off"
        self.stdout.write(
            f"{subscription.name}: subscription {'created' if created else 'updated'} ({subscription.every}, "
            f"source {subscription.source.slug}, {state})"
        )
