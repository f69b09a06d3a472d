import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.sharing import share_data

from . import services
from .acting import remember_acting_organisation
from .filtersets import OrganisationFilter
from .forms import InvitationForm, OrganisationForm, ProofForm, RoleForm
from .hooks import organisation_management, organisation_profile
from .models import Invitation, Membership, Organisation, Role
from .permissions import (
    can_see_proof,
    get_membership,
    get_organisation,
    get_organisation_for_managing,
    membership_of,
)

PAGE_SIZE = 24


def directory(request):
    organisations = Organisation.objects.in_region(request.region).listed().select_related("place")
    filterset = OrganisationFilter(
        request.GET or None, queryset=organisations, region=request.region
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/directory.html", {"filter": filterset, "page": page})


def profile(request, pk):
    """The public profile, then what the apps above contribute
    (organisations.hooks.organisation_profile): its published listings, newest first, and
    the thank-you notes it was given."""
    organisation = get_organisation(request, pk)
    return render(
        request,
        "organisations/profile.html",
        {
            "organisation": organisation,
            "membership": membership_of(request.user, organisation),
            "member_count": organisation.memberships.count(),
            **organisation_profile.merged(request, organisation),
            **share_data(
                request,
                organisation,
                organisation.description or profile_summary(organisation),
                organisation.logo.url if organisation.logo else "",
            ),
        },
    )


def profile_summary(organisation):
    """What a profile without a description says about the organisation in one line."""
    return " · ".join(
        [
            organisation.get_type_display(),
            organisation.get_sector_display(),
            str(organisation.place),
        ]
    )


@login_required
def create(request):
    form = OrganisationForm(request.POST or None, request.FILES or None, region=request.region)
    if form.is_valid():
        organisation = services.found_organisation(form.save(commit=False), request.user)
        remember_acting_organisation(request, organisation)
        messages.success(request, _("Your organisation has been created."))
        return redirect("organisation_manage", pk=organisation.pk)
    return render(request, "organisations/create.html", {"form": form})


@login_required
def manage(request, pk):
    organisation = get_organisation_for_managing(request, pk)
    # The form edits a copy: a rejected entry must not show up as the page's heading.
    form = OrganisationForm(
        request.POST or None,
        request.FILES or None,
        instance=copy.copy(organisation),
        region=request.region,
    )
    if form.is_valid():
        form.save()
        messages.success(request, _("The profile has been saved."))
        return redirect("organisation_manage", pk=organisation.pk)
    return render(
        request,
        "organisations/manage.html",
        {
            "organisation": organisation,
            "form": form,
            **organisation_management.merged(request, organisation),
        },
    )


@login_required
def proof(request, pk):
    """Upload (admins) the proof of status; the file itself is at `proof_file`."""
    organisation = get_organisation_for_managing(request, pk)
    if not organisation.may_prove_status:
        raise Http404
    form = ProofForm(request.POST or None, request.FILES or None, instance=organisation)
    if form.is_valid():
        form.save()
        messages.success(request, _("Thank you. The region's staff will check your proof."))
        return redirect("organisation_manage", pk=organisation.pk)
    return render(
        request,
        "organisations/proof.html",
        {
            "organisation": organisation,
            "form": form,
            **organisation_management.merged(request, organisation),
        },
    )


@login_required
def proof_file(request, pk):
    """The private proof file, for the organisation's admins and the region's staff only."""
    organisation = get_organisation(request, pk)
    if not organisation.proof or not can_see_proof(request.user, organisation):
        raise Http404
    try:
        file = organisation.proof.open("rb")
    except FileNotFoundError as error:  # lost from the storage: nothing to hand out
        raise Http404 from error
    response = FileResponse(file, as_attachment=True)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def members(request, pk):
    organisation = get_organisation_for_managing(request, pk)
    form = InvitationForm(request.POST or None)
    if form.is_valid():
        try:
            services.invite(
                organisation, form.cleaned_data["email"], form.cleaned_data["role"], request.user
            )
        except services.OrganisationError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request, _("The invitation to %(email)s is on its way.") % form.cleaned_data
            )
            return redirect("organisation_members", pk=organisation.pk)
    memberships = organisation.memberships.select_related("user").order_by("role", "user__email")
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "invitations": organisation.invitations.open(),
            "form": form,
            "own_membership": membership_of(request.user, organisation),
            "roles": Role.choices,
            **organisation_management.merged(request, organisation),
        },
    )


def _managed_membership(request, pk, membership_pk):
    organisation = get_organisation_for_managing(request, pk)
    return get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_pk, organisation=organisation
    )


def _run(request, action, success_message):
    try:
        action()
    except services.OrganisationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success_message)


@login_required
@require_POST
def change_role(request, pk, membership_pk):
    membership = _managed_membership(request, pk, membership_pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.change_role(membership, form.cleaned_data["role"], request.user),
            _("The role of %(email)s has been changed.") % {"email": membership.user.email},
        )
    return redirect("organisation_members", pk=pk)


@login_required
@require_POST
def remove_member(request, pk, membership_pk):
    membership = _managed_membership(request, pk, membership_pk)
    _run(
        request,
        lambda: services.remove_member(membership, request.user),
        _("%(email)s is no longer a member.") % {"email": membership.user.email},
    )
    return redirect("organisation_members", pk=pk)


@login_required
@require_POST
def hand_over(request, pk, membership_pk):
    membership = _managed_membership(request, pk, membership_pk)
    _run(
        request,
        lambda: services.hand_over_ownership(membership.organisation, request.user, membership),
        _("%(email)s is now the owner.") % {"email": membership.user.email},
    )
    return redirect("organisation_members", pk=pk)


@login_required
@require_POST
def withdraw_invitation(request, pk, invitation_pk):
    organisation = get_organisation_for_managing(request, pk)
    get_object_or_404(Invitation, pk=invitation_pk, organisation=organisation).delete()
    messages.success(request, _("The invitation has been withdrawn."))
    return redirect("organisation_members", pk=pk)


@login_required
@require_POST
def leave(request, pk):
    membership = get_membership(request, pk)
    try:
        services.remove_member(membership, request.user)
    except services.OrganisationError as error:
        messages.error(request, str(error))
        return redirect("organisation_profile", pk=pk)
    messages.success(request, _("You have left %(name)s.") % {"name": membership.organisation.name})
    return redirect("account_overview")


def invitation(request, token):
    """The page an invitation link opens: sign in or up first, then accept."""
    try:
        invitation = services.invitation_from_token(token)
    except services.OrganisationError as error:
        return render(request, "organisations/invitation.html", {"error": str(error)}, status=410)
    if invitation.organisation.region_id != request.region.pk:
        raise Http404
    error = None
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = services.accept_invitation(token, request.user)
        except services.OrganisationError as exception:
            error = str(exception)
        else:
            remember_acting_organisation(request, membership.organisation)
            messages.success(
                request,
                _("Welcome to %(name)s.") % {"name": membership.organisation.name},
            )
            return redirect("organisation_profile", pk=membership.organisation.pk)
    return render(
        request,
        "organisations/invitation.html",
        {
            "invitation": invitation,
            "error": error,
            "email_matches": request.user.is_authenticated
            and request.user.email.lower() == invitation.email.lower(),
        },
    )


@login_required
@require_POST
def act_for(request):
    """Choose the organisation the user acts for in this region."""
    organisation = get_organisation(request, request.POST.get("organisation"))
    if membership_of(request.user, organisation) is None:
        raise Http404
    remember_acting_organisation(request, organisation)
    messages.success(request, _("You now act for %(name)s.") % {"name": organisation.name})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    return redirect(next_url)
