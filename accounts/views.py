from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .forms import DeleteAccountForm, LanguageForm, NameForm
from .hooks import account_overview
from .personal_data import delete_account, deletion_blockers, export_personal_data


@login_required
def overview(request):
    """The account home: email, password, two-factor login, language, own data, and the
    cards of the apps above (accounts.hooks.account_overview)."""
    return render(request, "accounts/overview.html", account_overview.merged(request))


@login_required
@require_http_methods(["GET", "POST"])
def name(request):
    """The person's name, which conversations show beside their organisation's."""
    form = NameForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your name is saved."))
        return redirect("account_overview")
    return render(request, "accounts/name.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def language(request):
    """The language of the person's mails; the pages switch to it as well."""
    form = LanguageForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language)
        messages.success(request, _("Your language is saved."))
        response = redirect("account_overview")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(request, "accounts/language.html", {"form": form})


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
