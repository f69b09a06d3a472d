from django.core.management.base import BaseCommand

from organisations import services


class Command(BaseCommand):
    help = (
        "Tells the managers of organisations eligible for donations, a month before, that "
        "their verified proof of status lapses. The task worker runs this daily; run it by "
        "hand or from cron without a worker."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{services.send_proof_reminders()} reminders sent.")
