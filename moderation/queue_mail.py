"""The morning mail to staff: what waits for them in the back office of each region they
work for (the queues of regions.queues, with links to the filtered lists on the region's
own host). Only when something waits, once a day per person however many regions, in the
person's language; each person may turn it off under "E-Mail-Einstellungen"
(StaffMailSettings). The operator, who sees every region, gets none: only region staff do.
"""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from core.mail import send_mail_on_commit
from regions.models import Region, StaffMembership
from regions.queues import waiting

from .models import StaffMailSettings


def _work_by_person() -> dict:
    """{user: [(region, [(queue, count), …]), …]} of every active staff member who wants the
    mail and has something waiting, regions in name order."""
    opted_out = StaffMailSettings.objects.filter(queue_mail=False).values("user_id")
    memberships = list(
        StaffMembership.objects.filter(user__is_active=True)
        .exclude(user_id__in=opted_out)
        .select_related("user")
    )
    if not memberships:
        return {}
    queues = waiting({membership.region_id for membership in memberships})
    busy_region_ids = {region_id for queue in queues for region_id in queue.counts}
    regions = Region.objects.filter(pk__in=busy_region_ids).prefetch_related("domains")
    regions = {region.pk: region for region in regions}
    work = defaultdict(list)
    for membership in memberships:
        region = regions.get(membership.region_id)
        if region is None:
            continue
        waiting_here = [(queue, queue.count_in(region.pk)) for queue in queues]
        work[membership.user].append((region, [entry for entry in waiting_here if entry[1]]))
    for entries in work.values():
        entries.sort(key=lambda entry: entry[0].name)
    return work


def _claim_day(user, today) -> bool:
    """Marks today's mail as sent to `user`; False if it was already (two runs at once)."""
    entry, _created = StaffMailSettings.objects.get_or_create(user=user)
    return bool(
        StaffMailSettings.objects.filter(pk=entry.pk, queue_mail=True)
        .exclude(queue_mail_sent_on=today)
        .update(queue_mail_sent_on=today)
    )


def send_queue_mails(today=None) -> int:
    """Mails each staff member what waits for them; returns how many mails were queued."""
    today = today or timezone.localdate()
    sent = 0
    for user, entries in _work_by_person().items():
        sections = [
            {
                "region": region,
                "queues": [
                    {
                        "label": queue.label,
                        "count": count,
                        "link": region.build_absolute_uri(queue.path),
                    }
                    for queue, count in queues
                ],
            }
            for region, queues in entries
        ]
        with transaction.atomic():
            if not _claim_day(user, today):
                continue
            send_mail_on_commit(
                entries[0][0] if len(entries) == 1 else None,
                "moderation/email/queues.txt",
                {
                    "sections": sections,
                    "settings_link": entries[0][0].reverse("inquiry_notifications"),
                },
                [user.email],
            )
        sent += 1
    return sent
