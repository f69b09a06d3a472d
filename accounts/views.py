from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def overview(request):
    """The account home: where to change email, password and two-factor login."""
    return render(request, "accounts/overview.html")
