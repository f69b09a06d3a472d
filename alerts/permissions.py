from django.shortcuts import get_object_or_404

from .models import SavedSearch


def get_saved_search(request, pk) -> SavedSearch:
    """The signed-in person's own search in this region; 404 for anything else."""
    return get_object_or_404(
        SavedSearch.objects.in_region(request.region).of_user(request.user), pk=pk
    )
