"""Forms of the pools: the terms (beside the listing form, through
listings.hooks.listing_form), joining, letting a pool lapse, the group thread. Every rule a
member can break is a message at its field; pools.services checks again under lock."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import MAX_MESSAGE_LENGTH, MAX_PARTNERS, CostBasis, Pool, Shared
from .rules import share_refusal

# What a category of the group shares, as the terms' first guess.
SHARED_OF_CATEGORY = {
    "buerogemeinschaft": Shared.OFFICE,
    "fachkraft-teilen": Shared.SPECIALIST,
    "gemeinsame-investition": Shared.MACHINE,
}
DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


class PoolTermsForm(forms.ModelForm):
    """The terms of a cooperation offer, a fieldset of the listing form. Once partners
    have committed, the terms may not leave them out: no fewer partners sought than have
    committed, no own share that leaves less than they took."""

    legend = _("Pool terms")
    prefix = "pool"

    class Meta:
        model = Pool
        fields = [
            "shared",
            "total_cost",
            "cost_basis",
            "partners_sought",
            "initiator_share",
            "use_split",
            "join_until",
        ]
        widgets = {
            "shared": forms.RadioSelect,
            "cost_basis": forms.RadioSelect,
            "join_until": forms.DateInput(**DATE_WIDGET),
            "total_cost": forms.NumberInput(attrs={"min": 1, "step": "0.01"}),
            "partners_sought": forms.NumberInput(attrs={"min": 1, "max": MAX_PARTNERS}),
            "initiator_share": forms.NumberInput(attrs={"min": 0, "max": 99}),
        }
        help_texts = {
            "total_cost": _("What the whole costs, in euros. No money moves through the platform."),
            "join_until": _("After this day nobody can join any more."),
        }
        error_messages = {
            "shared": {"required": _("Please choose what is to be shared.")},
            "total_cost": {
                "required": _("Please enter the total cost in euros."),
                "invalid": _("Please enter an amount in euros, for example 1200 or 1200,50."),
                "min_value": _("Please enter a total cost of at least 1 euro."),
                "max_digits": _("Please enter an amount below 100 million euros."),
                "max_decimal_places": _("Please enter at most two places after the comma."),
            },
            "cost_basis": {"required": _("Please choose whether the cost is due once or monthly.")},
            "partners_sought": {
                "required": _("Please enter how many partners you are looking for."),
                "invalid": _("Please enter a whole number."),
                "min_value": _("Please look for at least one partner."),
                "max_value": _("Please look for at most %(limit_value)s partners."),
            },
            "initiator_share": {
                "required": _("Please enter your own share in percent (0 if none)."),
                "invalid": _("Please enter a whole number of percent."),
                "max_value": _("Your own share must be below 100 %%; the partners share the rest."),
                "min_value": _("Please enter 0 or more percent."),
            },
            "use_split": {"required": _("Please say how use is split among the partners.")},
            "join_until": {
                "required": _("Please enter until when partners may join."),
                "invalid": _("Please enter a date, for example 24.12.2026."),
            },
        }

    def __init__(self, data=None, *, instance=None, category=None, **kwargs):
        super().__init__(data, instance=instance or Pool(), **kwargs)
        # Radio buttons without the empty "---------" of a model field's choices.
        self.fields["shared"].choices = Shared.choices
        self.fields["cost_basis"].choices = CostBasis.choices
        if not self.instance.pk and category is not None:
            self.initial["shared"] = SHARED_OF_CATEGORY.get(category.slug)
        self.committed = self.instance.progress() if self.instance.pk else None

    def clean_join_until(self):
        join_until = self.cleaned_data["join_until"]
        unchanged = self.instance.pk and join_until == self.instance.join_until
        if not unchanged and join_until < timezone.localdate():
            raise ValidationError(_("Please choose a date from today on."), code="past")
        return join_until

    def clean_partners_sought(self):
        sought = self.cleaned_data["partners_sought"]
        if self.committed and sought < self.committed.partners:
            raise ValidationError(
                _("%(count)s partners have committed already; please seek at least as many."),
                code="below_committed",
                params={"count": self.committed.partners},
            )
        return sought

    def clean_initiator_share(self):
        share = self.cleaned_data["initiator_share"]
        if self.committed and share + self.committed.shares > 100:
            raise ValidationError(
                _(
                    "The partners have taken %(taken)s %% already; your share can be at most "
                    "%(most)s %%."
                ),
                code="above_open",
                params={"taken": self.committed.shares, "most": 100 - self.committed.shares},
            )
        return share

    def save_for(self, listing):
        """Saves the terms for `listing` (called by the listing's view in its transaction)."""
        from . import services

        pool = self.save(commit=False)
        pool.listing = listing
        pool.region_id = listing.region_id
        existed = pool.pk is not None
        pool.save()
        if existed:
            services.terms_changed(pool)
        return pool


class CommitmentForm(forms.Form):
    """Joining a pool: the organisation's share of the cost and its use."""

    share = forms.IntegerField(
        label=_("Your share of the cost in percent"),
        min_value=1,
        max_value=100,
        error_messages={
            "required": _("Please enter your share of the cost in percent."),
            "invalid": _("Please enter a whole number of percent."),
            "min_value": _("Please take at least %(limit_value)s %%."),
            "max_value": _("Please take at most %(limit_value)s %%."),
        },
    )
    use = forms.CharField(
        label=_("Your use"),
        max_length=200,
        help_text=_("For example: Mondays and Tuesdays, or about ten hours a month."),
        error_messages={
            "required": _("Please say how your organisation wants to use it."),
            "max_length": _("Please keep it under %(limit_value)s characters."),
        },
    )
    confirm = forms.BooleanField(
        label=_(
            "We commit to carry this share if the partnership is formed. We settle the money "
            "among the partners; nothing is paid through the platform."
        ),
        error_messages={"required": _("Please confirm the commitment.")},
    )

    def __init__(self, data=None, *, pool, progress, **kwargs):
        super().__init__(data, **kwargs)
        self.pool = pool
        self.progress = progress
        self.initial.setdefault("share", min(pool.share_per_partner, progress.open_share) or None)
        self.fields["share"].help_text = _(
            "Still open: %(open)s %% of the cost. Suggested per partner: %(each)s %%."
        ) % {"open": progress.open_share, "each": pool.share_per_partner}

    def clean_share(self):
        share = self.cleaned_data["share"]
        if refusal := share_refusal(self.pool, share, self.progress):
            raise ValidationError(refusal, code="above_open")
        return share


class LapseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the pool lapse?"),
        help_text=_("Everyone who committed reads this by email."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Please tell the partners why the pool lapses."),
            "max_length": _("Please keep it under %(limit_value)s characters."),
        },
    )


class PoolMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message to all partners"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Please write a message."),
            "max_length": _("Please keep the message under %(limit_value)s characters."),
        },
    )
