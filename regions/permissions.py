"""Who may do what in a region's back office — the one place that decides it.

Superusers (the platform operator) may do everything everywhere. Region staff
act only in the regions they belong to: moderators check content, region
administrators also shape the region itself.
"""

from .models import Region, StaffMembership, StaffRole

ROLE_RANK = {StaffRole.MODERATOR: 1, StaffRole.ADMIN: 2}


def staff_regions(user, minimum_role=StaffRole.MODERATOR):
    """The regions `user` works for in at least `minimum_role` (all of them for superusers)."""
    if not user.is_authenticated or not user.is_active:
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.all()
    roles = [role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK[minimum_role]]
    return Region.objects.filter(staff__user=user, staff__role__in=roles)


def has_staff_role(user, region, minimum_role=StaffRole.MODERATOR) -> bool:
    return region is not None and staff_regions(user, minimum_role).filter(pk=region.pk).exists()


def can_use_backoffice(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or StaffMembership.objects.filter(user=user).exists()
