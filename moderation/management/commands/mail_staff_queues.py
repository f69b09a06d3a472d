from django.core.management.base import BaseCommand

from moderation import queue_mail


class Command(BaseCommand):
    help = (
        "Mails each region's staff what waits for them in the back office (listings to "
        "approve, organisations to verify, reports, reported messages, lapsing proofs), once "
        "a day. The task worker runs this every morning; run it from cron without a worker."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{queue_mail.send_queue_mails()} mails queued.")
