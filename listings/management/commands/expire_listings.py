from django.core.management.base import BaseCommand

from listings import expiry


class Command(BaseCommand):
    help = (
        "Ends listings whose publication ran out and reminds owners a week before. "
        "The task worker runs this hourly; run it by hand or from cron without a worker."
    )

    def handle(self, *args, **options):
        expired = expiry.expire_listings()
        reminded = expiry.send_expiry_reminders()
        self.stdout.write(f"{expired} listings expired, {reminded} reminders sent.")
