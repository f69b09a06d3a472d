from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .forms import DeleteAccountForm
from .personal_data import delete_account, deletion_blockers, export_personal_data


@login_required
def overview(request):
    """The account home: email, password, two-factor login, own data."""
    return render(request, "accounts/overview.html")


@login_required
@require_GET
def export(request):
    """Everything stored about the signed-in person, as a JSON download (Art. 15/20 GDPR)."""
    response = JsonResponse(
        export_personal_data(request.user), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    filename = f"starkeregion-daten-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def delete(request):
    blockers = deletion_blockers(request.user)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and not blockers and form.is_valid():
        user = request.user
        logout(request)
        delete_account(user)
        messages.success(request, _("Your account and the data stored with it have been deleted."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form, "blockers": blockers})
