"""Who may build embeds on the "Einbinden" page — the one place that decides it.

The region's staff build them for anything the region shows: its listings, or one of
its organisations'. Owners and administrators of an organisation build them for their
own organisation's listings, for its website. Everyone else, other regions' staff
and plain members included, gets 404.
"""

from dataclasses import dataclass

from django.http import Http404

from organisations.acting import memberships_in_region
from organisations.models import Organisation
from regions.permissions import has_staff_role


@dataclass(frozen=True)
class BuilderScope:
    """What the user may build embeds of."""

    whole_region: bool  # region staff: every listing, or any organisation's
    organisations: list  # the organisations they may choose, by name

    def allows(self, organisation_id) -> bool:
        if organisation_id is None:
            return self.whole_region
        return any(organisation.pk == organisation_id for organisation in self.organisations)


def builder_scope(request) -> BuilderScope:
    """The request user's scope on the Einbinden page of the request's region, or 404."""
    if has_staff_role(request.user, request.region):
        organisations = Organisation.objects.in_region(request.region).only("pk", "name")
        return BuilderScope(True, list(organisations.order_by("name", "pk")))
    managed = [
        membership.organisation
        for membership in memberships_in_region(request)
        if membership.can_manage
    ]
    if not managed:
        raise Http404
    return BuilderScope(False, managed)
