"""The organisation a person acts for, per region; remembered in the session.

A person may belong to several organisations; what they post or answer is done
on behalf of the one chosen here (by default the first they belong to).
"""

from .models import Membership

SESSION_KEY = "acting_organisations"


def remember_acting_organisation(request, organisation):
    chosen = dict(request.session.get(SESSION_KEY, {}))
    chosen[str(organisation.region_id)] = organisation.pk
    request.session[SESSION_KEY] = chosen


def memberships_in_region(request):
    """The user's memberships in the request's region, read once per request (the header,
    the view and the inquiry count all ask; no view changes memberships and then renders)."""
    # Error pages (400, unknown host) render before authentication and region lookup ran.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "region", None) is None:
        return []
    cached = request.__dict__.get("_memberships_in_region")
    if cached is not None and cached[0] == (user.pk, request.region.pk):
        return cached[1]
    memberships = list(
        Membership.objects.in_region(request.region)
        .filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    request._memberships_in_region = ((user.pk, request.region.pk), memberships)
    return memberships


def acting_membership(request, memberships=None):
    """The membership the user acts through in this region, or None."""
    memberships = memberships_in_region(request) if memberships is None else memberships
    if not memberships:
        return None
    chosen = request.session.get(SESSION_KEY, {}).get(str(request.region.pk))
    for membership in memberships:
        if membership.organisation_id == chosen:
            return membership
    return memberships[0]


def context(request):
    """Template context: the user's organisations here and the one they act for."""
    memberships = memberships_in_region(request)
    return {
        "my_memberships": memberships,
        "acting_membership": acting_membership(request, memberships),
    }
