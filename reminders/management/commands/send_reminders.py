"""`manage.py send_reminders`: the beat task's scan, run once in this process."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders.services import reminders_scan
from seminar.models import Seminar


class Command(BaseCommand):
    help = (
        "Queue every reminder that is due now (each goes out once, however often this runs). "
        "Without a broker the e-mails are sent by this process (to the console on a laptop)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seminar", metavar="SLUG", help="Scan only this seminar.")

    def handle(self, *args, seminar: str | None = None, **options) -> None:
        chosen = None
        if seminar:
            chosen = Seminar.objects.filter(slug=seminar).first()
            if chosen is None:
                raise CommandError(f"No seminar has the slug {seminar!r}.")
        result = reminders_scan(now=timezone.now(), seminar=chosen)
        self.stdout.write(
            f"{result.queued} reminder{'s' if result.queued != 1 else ''} queued"
            + (
                f"; {result.withdrawn} not sent because the deadline passed first."
                if result.withdrawn
                else "."
            )
        )
