"""Demo saved searches for `manage.py load_demo`: the demo member's "Suchaufträge" in
Potsdam-Mittelmark, one of each frequency and one paused, saved through alerts.services
as the search page's button would, and the region's news weekly. Loading adds nothing
where the member has saved searches already. Saved after the demo listings, they mail
nothing until a new listing is published."""

from alerts import digest, services
from alerts.models import DigestFrequency, Frequency, SavedSearch
from regions.models import Region

DEMO_MEMBER = "mitglied@example.org"

# (region, name, the search page's query, frequency, active)
DEMO_SEARCHES = [
    ("pm", "Gabelstapler", "q=Gabelstapler", Frequency.INSTANT, True),
    (
        "pm",
        "Lagerfläche um Werder",
        "category=raeume-flaechen&near=14542&radius=25",
        Frequency.DAILY,
        True,
    ),
    ("pm", "Spenden und Zeitspenden", "terms=donation&terms=time-donation", Frequency.WEEKLY, True),
    ("pm", "Transporter gesucht", "q=Transporter&direction=offer", Frequency.DAILY, False),
]


def load(region: Region) -> int:
    """The demo member's saved searches in `region`; returns how many were added."""
    from django.contrib.auth import get_user_model

    member = get_user_model().objects.filter(email=DEMO_MEMBER).first()
    if member is None or SavedSearch.objects.in_region(region).of_user(member).exists():
        return 0
    added = 0
    for slug, name, query, frequency, active in DEMO_SEARCHES:
        if slug != region.slug:
            continue
        saved = services.save_search(region, member, query, name=name, frequency=frequency)
        if not active:
            services.set_active(saved, False)
        added += 1
    if added:
        digest.subscribe(region, member, DigestFrequency.WEEKLY)
    return added
