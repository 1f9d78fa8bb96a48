from django.core.management.base import BaseCommand
from django.utils import timezone

from demo import data
from demo.loader import CURRENT_SLUG, PUBLISHED_SLUG, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo seminar 'Deep Generative Diffusion Models' as published in 2023; with "
        "--today also a copy whose dates lie ahead, to register and try everything. Creates only "
        "what is missing, so running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", action="store_true", help="Also load a copy shifted to start after today."
        )

    def handle(self, *args, today: bool, **options):
        logins = demo_load(today=timezone.localdate() if today else None)
        self.stdout.write(self.style.SUCCESS("Demo seminars:"))
        self.stdout.write(f"  /{PUBLISHED_SLUG}/  as published in 2023")
        if today:
            self.stdout.write(f"  /{CURRENT_SLUG}/  a copy that starts after today")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {data.PASSWORD}):"))
        for login in logins:
            self.stdout.write(f"  {login.role:<24} {login.email}")
