from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from stats.models import Subscription
from stats.subscriptions import run_summary, subscription_run, subscriptions_claim_due


class Command(BaseCommand):
    help = (
        "Run the named table subscriptions (or all that are due) now: one line each, `NAME: no change`, "
        "`NAME: batch 12 waiting for confirmation: …`, `NAME: batch 12 confirmed: …` or `NAME: failed: …` "
        "(exit 1 if any failed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", metavar="NAME")

    def handle(self, *args, **options) -> None:
        translation.activate("en")  # the lines are read by scripts
        failed = False
        for name, line in self._runs(options["names"]):
            self.stdout.write(f"{name}: {line}")
            failed |= line.startswith("failed: ")
        if failed:
            raise SystemExit(1)

    def _runs(self, names: list[str]):
        if not names:
            known = dict(Subscription.objects.values_list("pk", "name"))
            for pk, claim in subscriptions_claim_due():
                run = subscription_run(subscription_id=pk, claim=claim, language="en")
                yield known.get(pk, str(pk)), run_summary(run)
            return
        for name in names:
            subscription = Subscription.objects.filter(name=name).first()
            if subscription is None:
                yield name, "failed: no such subscription"
            else:
                yield name, run_summary(subscription_run(subscription_id=subscription.pk, language="en"))

