"""Posting and looking after listings: create, edit, photos, status changes, "my listings",
and renewal by the link in the expiry reminder.

Members of the owning organisation do all of it, whatever their role; everyone else
gets 404 (listings.permissions). Changes go through listings.services, whose
ListingError becomes a message on the page, never an error page.
"""

import copy

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from organisations.acting import acting_membership, memberships_in_region

from . import expiry, services, tasks
from . import photos as photo_files
from .actions import ACTIONS, actions_for, buttons_for
from .forms import ChooseCategoryForm, ListingForm
from .hooks import listing_form, my_listings
from .models import MAX_PHOTOS, Listing, Status
from .permissions import get_listing_for_editing
from .photo_forms import UPLOAD_SLOTS, PhotoForm, PhotoUploadForm

PAGE_SIZE = 20


def _success_message(listing):
    """What a member reads after a status change, in the words of the new state."""
    if listing.status == Status.PENDING:
        return _(
            "Thank you. %(operator)s will check your listing before it is published; "
            "we will write to you when it is."
        ) % {"operator": listing.region.operator_name}
    if listing.status == Status.PUBLISHED:
        return _("Your listing is published until %(date)s.") % {
            "date": date_format(listing.expires_at, "DATE_FORMAT", use_l10n=True)
        }
    return {
        Status.PAUSED: _("The listing is paused; nobody else sees it until you resume it."),
        Status.CLOSED: _("The listing has ended."),
    }.get(listing.status, _("Done."))


def _safe_next(request, default):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return default


def _editable_listing(request, pk):
    """The member's listing, if it may still be changed; closed and removed ones may not."""
    listing = get_listing_for_editing(request, pk)
    if listing.status not in services.EDITABLE:
        messages.error(request, _("This listing can no longer be changed."))
        return listing, redirect("listing_mine")
    return listing, None


def _with_extra_forms(request, form, listing=None):
    """Adds the forms higher apps ask for the chosen category (listings.hooks.listing_form)
    to `form`, to be checked, shown and saved with it; returns the rest of their context."""
    data = request.POST if request.method == "POST" else None
    context = listing_form.merged(request, form.chosen_category, listing, data)
    form.extra_forms = context.pop("extra_forms")
    return context


def _all_valid(form):
    """Whether the listing form and its extra forms are valid; checks every one of them,
    so that each shows its errors."""
    return all([form.is_valid(), *[extra.is_valid() for extra in form.extra_forms]])


def _save_extra_forms(form, listing):
    for extra in form.extra_forms:
        extra.save_for(listing)


def _no_organisation(request):
    return render(request, "listings/no_organisation.html")


# Creating and editing -----------------------------------------------------------------------


@login_required
def create(request):
    """Step one chooses offer/request and category (a GET form); step two is the listing."""
    memberships = memberships_in_region(request)
    membership = acting_membership(request, memberships)
    if membership is None:
        return _no_organisation(request)
    organisation = membership.organisation
    context = {"organisation": organisation, "memberships": memberships}

    if request.method == "POST":
        if refused := ratelimit.consume_or_429(request, action="listing_create", user=request.user):
            return refused
        form = ListingForm(request.POST, organisation=organisation, choose_category=False)
        context.update(_with_extra_forms(request, form))
        if _all_valid(form):
            with transaction.atomic():
                listing = services.create_listing(form.save(), request.user)
                _save_extra_forms(form, listing)
            messages.success(
                request,
                _("Your draft is saved. Add photos if you like, then publish the listing."),
            )
            return redirect("listing_photos", pk=listing.pk)
        return render(request, "listings/form.html", {**context, "form": form})

    chosen = {key: request.GET[key] for key in ("direction", "category") if key in request.GET}
    choice = ChooseCategoryForm(chosen if chosen and "change" not in request.GET else None)
    if not choice.is_bound or not choice.is_valid():
        choice.initial = chosen
        return render(request, "listings/choose_category.html", {**context, "form": choice})
    form = ListingForm(
        instance=Listing(organisation=organisation, region=organisation.region),
        initial=choice.cleaned_data,
        organisation=organisation,
        choose_category=False,
    )
    context.update(_with_extra_forms(request, form))
    return render(request, "listings/form.html", {**context, "form": form})


@login_required
def edit(request, pk):
    listing, refused = _editable_listing(request, pk)
    if refused:
        return refused
    # The form edits a copy: a rejected entry must not show up as the page's heading.
    form = ListingForm(
        request.POST or None, instance=copy.copy(listing), organisation=listing.organisation
    )
    extra_context = _with_extra_forms(request, form, listing)
    if form.is_bound and _all_valid(form):
        try:
            with transaction.atomic():
                changed = services.save_changes(form.save(), request.user)
                _save_extra_forms(form, changed)
        except services.ListingError as error:
            messages.error(request, str(error))
            return redirect("listing_mine")
        messages.success(request, _("Your changes are saved."))
        if changed.status == Status.PENDING and listing.status == Status.PUBLISHED:
            messages.info(request, _success_message(changed))
        return redirect("listing_detail", pk=listing.pk)
    return render(
        request,
        "listings/form.html",
        {
            **extra_context,
            "listing": listing,
            "form": form,
            "organisation": listing.organisation,
            "needs_approval": services.needs_approval(listing),
        },
    )


# Photos -------------------------------------------------------------------------------------


@login_required
def photos(request, pk):
    """Add, describe, reorder and delete a listing's photos – each with its own button,
    so that it all works without JavaScript."""
    listing, refused = _editable_listing(request, pk)
    if refused:
        return refused
    photo_list = list(listing.photos.order_by("position", "pk"))
    room = MAX_PHOTOS - len(photo_list)
    upload_form = PhotoUploadForm(slots=max(1, min(UPLOAD_SLOTS, room)), room=room)
    photo_forms = {
        photo.pk: PhotoForm(instance=photo, prefix=f"photo-{photo.pk}") for photo in photo_list
    }

    if request.method == "POST":
        operation = request.POST.get("operation")
        if operation == "upload":
            # Each upload decodes pictures of up to 40 megapixels: limited per person.
            if refused := ratelimit.consume_or_429(
                request, action="listing_photo_upload", user=request.user
            ):
                return refused
            upload_form = PhotoUploadForm(
                request.POST, request.FILES, slots=max(1, min(UPLOAD_SLOTS, room)), room=room
            )
            if upload_form.is_valid():
                return _add_photos(request, listing, upload_form.photos)
        elif operation in {"describe", "up", "down", "delete"}:
            photo = next((p for p in photo_list if str(p.pk) == request.POST.get("photo")), None)
            if photo is None:
                raise Http404
            if operation != "describe":
                return _rearrange(request, listing, photo_list, photo, operation)
            form = PhotoForm(request.POST, instance=photo, prefix=f"photo-{photo.pk}")
            if form.is_valid():
                form.save()
                _content_changed(request, listing)
                messages.success(request, _("The description is saved."))
                return redirect("listing_photos", pk=listing.pk)
            photo_forms[photo.pk] = form
        else:
            raise Http404

    needs_approval = services.needs_approval(listing)
    buttons = buttons_for(listing, needs_approval=needs_approval)
    return render(
        request,
        "listings/photos.html",
        {
            "listing": listing,
            "organisation": listing.organisation,
            "upload_form": upload_form,
            "photos": [(photo, photo_forms[photo.pk]) for photo in photo_list],
            "room": room,
            "max_photos": MAX_PHOTOS,
            "needs_approval": needs_approval,
            # A draft's next step, once its photos are there.
            "submit": next((button for button in buttons if button.name == "submit"), None),
        },
    )


def _content_changed(request, listing):
    """New pictures and words are content: where staff approve first, a published listing
    goes back to them (services.save_changes decides)."""
    was_published = listing.status == Status.PUBLISHED
    services.save_changes(listing, request.user)
    if was_published and listing.status == Status.PENDING:
        messages.info(request, _success_message(listing))


def _add_photos(request, listing, uploads):
    try:
        with transaction.atomic():
            added = photo_files.add_photos(listing, uploads)
            for photo in added:
                # The sizes are made once, by the worker, once the photo is safely stored.
                tasks.queue_photo_sizes(photo)
            _content_changed(request, listing)
    except services.ListingError as error:
        messages.error(request, str(error))
        return redirect("listing_photos", pk=listing.pk)
    messages.success(
        request,
        ngettext("%(count)s photo added.", "%(count)s photos added.", len(added))
        % {"count": len(added)},
    )
    return redirect("listing_photos", pk=listing.pk)


def _rearrange(request, listing, photo_list, photo, operation):
    if operation == "delete":
        photo_files.delete_photo(photo)
        messages.success(request, _("The photo is deleted."))
    else:
        photo_files.move_photo(listing, photo, -1 if operation == "up" else 1)
    return redirect("listing_photos", pk=listing.pk)


# Status changes -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def change_status(request, pk, action):
    """Publish, pause, resume, end or renew; GET asks first, only POST changes anything."""
    if action not in ACTIONS:
        raise Http404
    listing = get_listing_for_editing(request, pk)
    if request.method == "POST":
        try:
            ACTIONS[action].run(listing, request.user)
        except services.ListingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _success_message(listing))
        return redirect(_safe_next(request, "listing_mine"))
    return render(
        request,
        "listings/confirm.html",
        {
            "listing": listing,
            "action": action,
            "details": ACTIONS[action],
            "allowed": action in actions_for(listing),
            "needs_approval": services.needs_approval(listing),
            "next": _safe_next(request, ""),
        },
    )


# My listings --------------------------------------------------------------------------------


@login_required
def mine(request):
    """The acting organisation's listings in every state, filterable by state."""
    memberships = memberships_in_region(request)
    membership = acting_membership(request, memberships)
    if membership is None:
        return _no_organisation(request)
    organisation = membership.organisation
    listings = Listing.objects.in_region(request.region).of_organisation(organisation)
    counts = dict(listings.order_by().values_list("status").annotate(count=Count("pk")))
    status = request.GET.get("status")
    if status not in Status.values:
        status = None
    shown = listings.filter(status=status) if status else listings
    shown = (
        shown.select_related("category__parent", "place")
        .annotate(photo_count=Count("photos"))
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    # Whether staff approve first is the organisation's and the region's, the same for all.
    needs_approval = services.needs_approval_for(request.region, organisation)
    for listing in page:
        listing.buttons = buttons_for(listing, needs_approval=needs_approval)
        listing.editable = listing.status in services.EDITABLE
    return render(
        request,
        "listings/mine.html",
        {
            **my_listings.merged(request, list(page)),
            "organisation": organisation,
            "memberships": memberships,
            "page": page,
            "status": status,
            "filters": [(value, label, counts.get(value, 0)) for value, label in Status.choices],
            "total": sum(counts.values()),
        },
    )


# Renewal by the link in the reminder mail ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def renew_by_link(request, token):
    """ "Still available" in one click, without logging in. Mail scanners open links, so
    GET only asks; the button POSTs."""
    try:
        listing = expiry.listing_from_renewal_token(token)
    except services.ListingError as error:
        return render(request, "listings/renew.html", {"error": str(error)}, status=410)
    if listing.region_id != request.region.pk:
        raise Http404
    if "renew" not in actions_for(listing):
        error = _(
            "A listing with the status “%(status)s” cannot be renewed. Please log in to see it."
        ) % {"status": listing.get_status_display()}
        return render(request, "listings/renew.html", {"error": error}, status=410)
    if request.method == "POST":
        try:
            services.renew(listing, None)
        except services.ListingError as error:
            return render(request, "listings/renew.html", {"error": str(error)}, status=410)
        return render(request, "listings/renew.html", {"listing": listing, "renewed": True})
    return render(request, "listings/renew.html", {"listing": listing})
