"""The header's count of unread inquiry updates for the organisation the user acts for."""

from django.utils.functional import SimpleLazyObject

from organisations.acting import acting_membership

from .models import Inquiry


def unread(request):
    """Lazy: the query runs only on pages whose header shows the count."""

    def count():
        membership = acting_membership(request)
        if membership is None:
            return 0
        return Inquiry.objects.in_region(request.region).unread_count_for(membership.organisation)

    return {"inquiry_unread_count": SimpleLazyObject(count)}
