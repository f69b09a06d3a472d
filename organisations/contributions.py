"""What organisations adds to the apps below it, through their hook points (core.hooks);
registered when the app is ready (organisations.apps)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.hooks import deletion_blockers, personal_data_export
from regions.hooks import staff_queues
from regions.queues import Queue, counts_by_region

from .models import Membership, Organisation, Role, Verification


@personal_data_export.register
def memberships(user) -> dict:
    return {
        "organisations": [
            {
                "organisation": membership.organisation.name,
                "region": membership.organisation.region.name,
                "role": membership.role,
                "since": membership.created_at.isoformat(),
            }
            for membership in user.memberships.select_related("organisation__region")
        ],
    }


@deletion_blockers.register
def sole_ownership(user) -> list[str]:
    """An organisation must not be left without anyone to manage it."""
    sole_owner_of = [
        membership.organisation.name
        for membership in user.memberships.filter(role=Role.OWNER).select_related("organisation")
        if not Membership.objects.filter(organisation=membership.organisation, role=Role.OWNER)
        .exclude(user=user)
        .exists()
    ]
    return [
        _(
            "You are the only owner of %(name)s. Hand over ownership to another member first, "
            "so that the organisation is not left without anyone to manage it."
        )
        % {"name": name}
        for name in sole_owner_of
    ]


@staff_queues.register
def organisations_to_verify(region_ids) -> list:
    return [
        Queue(
            key="organisations_new",
            label=gettext_lazy("Organisations to verify"),
            changelist="admin:organisations_organisation_changelist",
            query={"verification__exact": Verification.NEW},
            counts=counts_by_region(
                Organisation.objects.filter(verification=Verification.NEW), region_ids
            ),
        ),
        Queue(
            key="proofs_lapsing",
            label=gettext_lazy("Proofs of non-profit status lapsing within a month"),
            changelist="admin:organisations_organisation_changelist",
            query={"proof": "verified-lapsing"},
            counts=counts_by_region(Organisation.objects.verified_proof_lapsing(), region_ids),
        ),
    ]
