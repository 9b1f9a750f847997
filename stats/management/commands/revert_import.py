from django.core.management.base import BaseCommand, CommandError, CommandParser

from stats.import_batches import RevertRefused, import_batch_revert
from stats.models import ImportBatch


class Command(BaseCommand):
    help = "Restore exactly the values that were current before an import batch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("batch_id", type=int, metavar="BATCH_ID")

    def handle(self, *args, batch_id: int, **options) -> None:
        if not ImportBatch.objects.filter(pk=batch_id).exists():
            raise CommandError(f"there is no batch {batch_id}")
        try:
            import_batch_revert(batch_id=batch_id)
        except RevertRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"batch {batch_id}: reverted")
