"""The pool's pages: joining with a commitment, the steps (withdraw, form, lapse) each
confirmed on a page of its own, and the group thread. Pools come only through
pools.permissions; every change goes through pools.services, whose PoolError becomes a
message on the page, never an error page."""

from dataclasses import dataclass

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from organisations.acting import acting_membership

from . import rules, services
from .forms import CommitmentForm, LapseForm, PoolMessageForm
from .permissions import get_pool, get_pool_of_initiator, get_thread, my_organisation_ids

TOO_MANY = gettext_lazy(
    "Your organisation has done this many times in a short time. To protect everyone from "
    "unwanted mail, please wait a while and then try again."
)


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def join(request, pk):
    """ "Mitmachen": the acting organisation commits its share and its use."""
    pool = get_pool(request, pk)
    membership = acting_membership(request)
    if membership is None:
        return render(request, "listings/no_organisation.html")
    organisation = membership.organisation
    progress = pool.progress()
    context = {
        "pool": pool,
        "listing": pool.listing,
        "organisation": organisation,
        "progress": progress,
    }
    if refusal := rules.join_refusal(pool, organisation, progress):
        return _private(render(request, "pools/join.html", {**context, "refusal": refusal}))
    form = CommitmentForm(
        request.POST if request.method == "POST" else None, pool=pool, progress=progress
    )
    if request.method == "POST" and form.is_valid():
        # Per organisation, whoever of its people commits: each commitment mails the initiator.
        if not ratelimit.consume(
            request, action="pool_commit", key=f"organisation:{organisation.pk}"
        ):
            form.add_error(None, TOO_MANY)
            return _private(
                render(request, "pools/join.html", {**context, "form": form}, status=429)
            )
        try:
            services.commit(
                pool,
                organisation,
                request.user,
                share=form.cleaned_data["share"],
                use=form.cleaned_data["use"],
            )
        except services.PoolError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your organisation has committed to this pool."))
            return redirect(pool.listing)
    return _private(render(request, "pools/join.html", {**context, "form": form}))


@dataclass(frozen=True)
class Step:
    label: str
    question: str
    done: str
    danger: bool = False


STEPS = {
    "withdraw": Step(
        gettext_lazy("Withdraw from the pool"),
        gettext_lazy("Your organisation's commitment ends; the initiator is told."),
        gettext_lazy("Your organisation has withdrawn from the pool."),
        danger=True,
    ),
    "form": Step(
        gettext_lazy("Mark the partnership formed"),
        gettext_lazy(
            "Everyone who committed is told that the partnership is formed; nobody can join "
            "or withdraw any more. Settle the money among yourselves: nothing is paid "
            "through the platform."
        ),
        gettext_lazy("The partnership is formed; everyone has been told."),
    ),
    "lapse": Step(
        gettext_lazy("Let the pool lapse"),
        gettext_lazy("The pool ends without a partnership; everyone who committed is told why."),
        gettext_lazy("The pool has lapsed; everyone has been told."),
        danger=True,
    ),
}


def _own_commitment(request, pool):
    mine = my_organisation_ids(request)
    return (
        pool.commitments.active()
        .filter(organisation_id__in=mine)
        .select_related("organisation")
        .first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def step(request, pk, action):
    """Confirms a step on its own page (GET), takes it (POST)."""
    details = STEPS.get(action)
    if details is None:
        raise Http404
    if action == "withdraw":
        pool = get_pool(request, pk)
        commitment = _own_commitment(request, pool)
        if commitment is None:
            raise Http404
    else:
        pool = get_pool_of_initiator(request, pk)
        commitment = None
    form = LapseForm(request.POST or None) if action == "lapse" else None
    context = {
        "pool": pool,
        "listing": pool.listing,
        "details": details,
        "form": form,
        "refusal": rules.form_refusal(pool) if action == "form" else rules.status_refusal(pool),
    }
    if request.method == "POST" and not context["refusal"] and (form is None or form.is_valid()):
        try:
            if action == "withdraw":
                services.withdraw(commitment, request.user)
            elif action == "form":
                services.form(pool, request.user)
            else:
                services.lapse(pool, request.user, form.cleaned_data["reason"])
        except services.PoolError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, str(details.done))
        return redirect(pool.listing)
    return _private(render(request, "pools/step.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def thread(request, pk):
    """The group thread of the initiator and the partners."""
    pool, organisation = get_thread(request, pk)
    form = PoolMessageForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        # Per organisation, like inquiry messages: every message mails the others.
        if not ratelimit.consume(
            request, action="pool_message", key=f"organisation:{organisation.pk}"
        ):
            form.add_error("body", TOO_MANY)
            status = 429
        else:
            try:
                services.post_message(pool, organisation, request.user, form.cleaned_data["body"])
            except services.PoolError as error:
                form.add_error("body", str(error))
            else:
                messages.success(request, _("Your message is sent to all partners."))
                return redirect("pool_thread", pk=pool.pk)
    context = {
        "pool": pool,
        "listing": pool.listing,
        "organisation": organisation,
        "form": form,
        "thread_messages": pool.messages.select_related("organisation", "author"),
        "commitments": pool.commitments.active().select_related("organisation"),
    }
    return _private(render(request, "pools/thread.html", context, status=status))
