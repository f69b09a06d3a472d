"""Staff lending: which listings are about people, and the date of the guide's text.

The guide (templates/agreements/staff_lending_guide.html) and the template agreement are
written from the law's text as it stood on GUIDE_DATE; whoever updates them updates the
date, which both print.
"""

import datetime

# The group "Personal & Know-how", and the category "Fachkraft teilen" of another group.
STAFF_GROUP_SLUGS = frozenset({"personal-know-how"})
STAFF_CATEGORY_SLUGS = frozenset({"fachkraft-teilen"})

GUIDE_DATE = datetime.date(2026, 12, 5)


def is_about_staff(category) -> bool:
    """A leaf category (or None, before one is chosen) in which listings lend people."""
    if category is None:
        return False
    if category.slug in STAFF_CATEGORY_SLUGS:
        return True
    parent = category.parent if category.parent_id else category
    return parent.slug in STAFF_GROUP_SLUGS
