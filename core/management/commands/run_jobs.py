from django.core.management.base import BaseCommand

from core import jobs


class Command(BaseCommand):
    help = (
        "Run every background job that is due now, once, and report how many were done. "
        "The worker does this every minute; this is for the operator (after an outage, say) "
        "and for installations without a worker process."
    )

    def handle(self, *args, **options):
        done = jobs.run_due()
        waiting = jobs.Job.objects.waiting().count()
        self.stdout.write(f"{done} jobs done, {waiting} waiting.")
