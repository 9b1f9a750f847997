from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from stats.import_batches import ImportFailed, ImportRefused, import_file_now, readable_error
from stats.indicators import FIRM_SIZES, INDICATOR_CODES
from stats.models import Source


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _number(value: float | None) -> str:
    return "missing" if value is None else f"{value:.15g}"


class Command(BaseCommand):
    help = "Import statistics files through the same pipeline as an upload (in-process)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--indicator", choices=INDICATOR_CODES, help="indicator of a wide file without title")
        parser.add_argument("--firm-size", choices=FIRM_SIZES, dest="firm_size")
        parser.add_argument("--source", help="source slug (default: the default source)")
        parser.add_argument("--sheet", help="spreadsheet sheet name (default: the first)")
        parser.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")

    def handle(self, *args, **options) -> None:
        try:
            source = self._source(options["source"])
        except DatabaseError as exc:
            raise CommandError(f"the database is unavailable: {readable_error(exc)}") from exc
        failed = False
        for name in options["files"]:
            failed |= not self._import_one(name, source, options)
        if failed:
            raise SystemExit(1)

    def _source(self, slug: str | None) -> Source:
        sources = Source.objects.all()
        source = sources.filter(slug=slug).first() if slug else sources.filter(is_default=True).first()
        if source is None:
            known = ", ".join(sources.values_list("slug", flat=True))
            raise CommandError(f"unknown source {slug!r}; known sources: {known}")
        return source

    def _import_one(self, name: str, source: Source, options: dict) -> bool:
        path = Path(name)
        try:
            content = path.read_bytes()
        except OSError as exc:
            self.stderr.write(f"{name}: cannot read the file: {exc.strerror}")
            return False
        try:
            result, batch, diff = import_file_now(
                content=content, original_name=path.name, source=source,
                indicator=options["indicator"] or "", firm_size=options["firm_size"] or "",
                sheet=options["sheet"] or "", dry_run=options["dry_run"],
            )
        except (ImportRefused, ImportFailed) as exc:
            self.stderr.write(f"{name}: {exc}")
            return False
        except Exception as exc:  # never a traceback: one line naming the file, exit 1
            self.stderr.write(f"{name}: the import failed: {readable_error(exc)}")
            return False
        for problem in result.errors:
            self.stderr.write(problem.format(name))
        if not result.ok:
            return False
        for problem in result.warnings:
            self.stderr.write(f"{problem.format(name)} (warning)")
        label = "dry run" if batch is None else f"batch {batch.pk}"
        assert diff is not None
        self.stdout.write(
            f"{name}: {label}: {diff.new + diff.revised + diff.unchanged} values: {diff.new} new, "
            f"{diff.revised} revised, {diff.unchanged} unchanged; {_plural(len(result.warnings), 'warning')}"
        )
        if options["dry_run"] or options["verbosity"] > 1:
            self._list_revisions(diff)
        return True

    def _list_revisions(self, diff) -> None:
        """The preview's list of revisions, indented under the summary line: old -> new."""
        for r in diff.revisions:
            breakdown = r["firm_size"] + (f", {r['sector']}" if r["sector"] else "")
            self.stdout.write(f"  revised {r['region']} {r['indicator']} {r['year']} ({breakdown}): "
                              f"{_number(r['old'])} -> {_number(r['new'])}")
        if diff.revised > len(diff.revisions):
            self.stdout.write(f"  … and {diff.revised - len(diff.revisions)} more revised values")
