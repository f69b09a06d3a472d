"""Who may do what with an organisation — the one place that decides it.

Views get organisations only through these getters, which answer 404 to anyone
who must not know the object exists: other users, other regions' hosts, and
staff of other regions alike.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from regions.permissions import has_staff_role

from .models import Membership, Organisation, Verification


def membership_of(user, organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def can_manage(user, organisation) -> bool:
    membership = membership_of(user, organisation)
    return bool(membership and membership.can_manage)


def can_see_proof(user, organisation) -> bool:
    """The organisation's owners and admins, and staff of its region."""
    return can_manage(user, organisation) or has_staff_role(user, organisation.region)


def get_organisation(request, pk) -> Organisation:
    """Any organisation of the request's region (public profile)."""
    try:
        return Organisation.objects.in_region(request.region).select_related("place").get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def get_organisation_for_managing(request, pk) -> Organisation:
    organisation = get_organisation(request, pk)
    if not can_manage(request.user, organisation):
        raise Http404
    return organisation


def get_membership(request, pk) -> Membership:
    """The request user's own membership in an organisation of this region."""
    organisation = get_organisation(request, pk)
    membership = membership_of(request.user, organisation)
    if membership is None:
        raise Http404
    return membership


# What an organisation may do on the platform ---------------------------------------------
# Each answers None when it may, else why not, in words for its members. listings.services
# asks before publishing, inquiries.services before an inquiry or a message.


def _suspended(organisation) -> str | None:
    if organisation.is_suspended:
        return _(
            "%(name)s is suspended by the region's staff: it can read, but not publish, "
            "send inquiries or write messages."
        ) % {"name": organisation.name}
    return None


def publishing_refusal(organisation) -> str | None:
    """Why `organisation` may not publish a listing now, or None."""
    return _suspended(organisation)


def inquiry_refusal(organisation) -> str | None:
    """Why `organisation` may not send an inquiry now, or None: suspended, or its
    verification was rejected (until staff verify it after all)."""
    if refusal := _suspended(organisation):
        return refusal
    if organisation.verification == Verification.REJECTED:
        return _(
            "The region's staff rejected the verification of %(name)s, so it cannot send "
            "inquiries until they verify it. Please correct its profile or proof and write "
            "to the staff."
        ) % {"name": organisation.name}
    return None


def message_refusal(organisation) -> str | None:
    """Why `organisation` may not write a message now, or None."""
    return _suspended(organisation)
