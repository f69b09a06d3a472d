"""What a member can do with a listing, one record per action: the service that does it,
its label, the question its confirmation page asks, and how its button looks. The
listing page, "my listings", the photo page and the confirmation page all read them
here; which actions a state allows is services.MEMBER_ACTIONS."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import services
from .models import PUBLICATION_PERIOD


@dataclass(frozen=True)
class Action:
    run: object  # the service function
    label: str
    question: str
    # The main thing to do in its state: a full button rather than a secondary one.
    primary: bool = False
    # Cannot be undone: its button leads to the confirmation page, which shows it in red.
    final: bool = False


ACTIONS = {
    "submit": Action(
        services.submit,
        gettext_lazy("Publish"),
        gettext_lazy("Publish this listing?"),
        primary=True,
    ),
    "pause": Action(
        services.pause,
        gettext_lazy("Pause"),
        gettext_lazy("Pause this listing? Nobody else sees it until you resume it."),
    ),
    "resume": Action(
        services.resume,
        gettext_lazy("Show again"),
        gettext_lazy("Show this listing again?"),
        primary=True,
    ),
    "close": Action(
        services.close,
        gettext_lazy("Close for good"),
        gettext_lazy(
            "End this listing for good? Do this when you have found someone or no longer "
            "need it. It cannot be shown again."
        ),
        final=True,
    ),
    "renew": Action(
        services.renew,
        gettext_lazy("Renew"),
        gettext_lazy("Keep this listing online for another 90 days?"),
    ),
}


@dataclass(frozen=True)
class Button:
    """An action as a button for one listing."""

    name: str
    label: str
    primary: bool
    final: bool


def actions_for(listing) -> list[str]:
    return services.MEMBER_ACTIONS.get(listing.status, [])


def button_label(name: str, *, needs_approval: bool) -> str:
    """The action's label, told more precisely where the button can say more."""
    if name == "submit" and needs_approval:
        return _("Submit for approval")
    if name == "renew":
        days = PUBLICATION_PERIOD.days
        return ngettext("Renew for %(days)s day", "Renew for %(days)s days", days) % {"days": days}
    return str(ACTIONS[name].label)


def buttons_for(listing, *, needs_approval: bool) -> list[Button]:
    """The buttons for what a member can do with `listing` now. Whether staff approve
    first is the same for all listings of an organisation: the caller says it once."""
    return [
        Button(
            name=name,
            label=button_label(name, needs_approval=needs_approval),
            primary=ACTIONS[name].primary,
            final=ACTIONS[name].final,
        )
        for name in actions_for(listing)
    ]
