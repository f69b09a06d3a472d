"""Which document an inquiry offers, and what it says: the one place that decides it.

A document exists only once the listing's side accepted (accepted or completed: the two
states that hold a reservation) and is generated on request from the inquiry as it is
then, never stored:

- a free loan (Terms.LOAN): a Leihvertrag in the sense of §§ 598 ff. BGB;
- a rental (Terms.RENT): a simple Mietvertrag with the listed price;
- a donation or give-away to a verified non-profit (Organisation.is_eligible_for_donations):
  the draft of the Zuwendungsbestätigung für Sachzuwendungen that the recipient issues to
  the giver. Rooms lent and time donated never get one: uses and services are no
  donations (§ 10b Abs. 1 Satz 3 EStG).
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from inquiries.models import RESERVING, Status
from listings.choices import QUANTITY_WORDS, Terms
from listings.detail import attribute_rows
from organisations.models import OrganisationType


@dataclass(frozen=True)
class Document:
    """One kind of document: its address (`kind`), its name on the page and in the file
    name, and the template that renders it."""

    kind: str
    title: str
    file_name: str
    template: str


LOAN_AGREEMENT = Document(
    "loan-agreement",
    _("Loan agreement (free of charge)"),
    _("loan-agreement"),
    "agreements/pdf/loan_agreement.html",
)
RENTAL_AGREEMENT = Document(
    "rental-agreement",
    _("Rental agreement"),
    _("rental-agreement"),
    "agreements/pdf/rental_agreement.html",
)
DONATION_RECEIPT = Document(
    "donation-receipt",
    _("Draft donation receipt for goods"),
    _("donation-receipt-draft"),
    "agreements/pdf/donation_receipt.html",
)

# Gifts of goods, for which a recipient may confirm a donation.
GOODS_GIFT_TERMS = frozenset({Terms.DONATION, Terms.GIVE_AWAY})
# What a non-profit receives that is no donation in tax law: a use or a service.
USE_OR_SERVICE_TERMS = frozenset({Terms.LOAN, Terms.RENT, Terms.TIME_DONATION})


def receives_for_nonprofit(inquiry) -> bool:
    """The receiving organisation is a verified non-profit whose proof has not lapsed."""
    return inquiry.receiving_organisation.is_eligible_for_donations


def documents_for(inquiry) -> list[Document]:
    """The documents the two organisations of `inquiry` may download now."""
    if inquiry.status not in RESERVING:
        return []
    terms = inquiry.listing.terms
    if terms == Terms.LOAN:
        return [LOAN_AGREEMENT]
    if terms == Terms.RENT:
        return [RENTAL_AGREEMENT]
    if terms in GOODS_GIFT_TERMS and receives_for_nonprofit(inquiry):
        return [DONATION_RECEIPT]
    return []


def get_document(inquiry, kind) -> Document:
    """The document `kind` if `inquiry` offers it now, else 404."""
    for document in documents_for(inquiry):
        if document.kind == kind:
            return document
    raise Http404


def shows_no_receipt_note(inquiry) -> bool:
    """A non-profit receives a use or a service: it may hope for a donation receipt, which
    the law rules out, so the inquiry page says so."""
    return (
        inquiry.status in RESERVING
        and inquiry.listing.terms in USE_OR_SERVICE_TERMS
        and receives_for_nonprofit(inquiry)
    )


def quantity_of(inquiry) -> str:
    """What the inquiry takes: the quantity claimed, or for a booking the whole listing."""
    listing = inquiry.listing
    if inquiry.quantity:
        return str(QUANTITY_WORDS[listing.quantity_unit] % {"count": inquiry.quantity})
    return str(listing.quantity_display)


# Recipients that issue the receipt as a public body (the other official form), and those
# that are corporations under § 5 Abs. 1 Nr. 9 KStG; a day-care centre may be either.
PUBLIC_BODY_TYPES = frozenset({OrganisationType.PUBLIC, OrganisationType.SCHOOL})
CORPORATION_TYPES = frozenset({OrganisationType.ASSOCIATION, OrganisationType.NONPROFIT})


def _euros(amount) -> str:
    return f"{number_format(amount, 2, force_grouping=True)} €"


def rent_of(inquiry) -> str:
    """The listed price with its unit, and the reduced one where a non-profit rents;
    a line to fill in where the listing said "price on request"."""
    listing = inquiry.listing
    if listing.price is None:
        return "______ € (Preis auf Anfrage: bitte eintragen)"
    rent = f"{_euros(listing.price)} {listing.get_price_unit_display()}"
    if listing.reduced_price is not None and receives_for_nonprofit(inquiry):
        rent += f", ermäßigt für gemeinnützige Einrichtungen: {_euros(listing.reduced_price)}"
    return rent


def given_on(inquiry):
    """The day of the gift: the handover date agreed, else the day it was marked as
    handed over; None while neither is known (the document leaves a line)."""
    if inquiry.handover_on:
        return inquiry.handover_on
    outcome = getattr(inquiry, "outcome", None) if inquiry.status == Status.COMPLETED else None
    return timezone.localdate(outcome.completed_at) if outcome else None


def context_for(inquiry) -> dict:
    """What every document prints: the giving and the receiving organisation, the item,
    its quantity, the period, the handover date, and the date it was generated. German,
    as the documents are: call it with German active (translation.override)."""
    listing = inquiry.listing
    giver = inquiry.organisation_of(inquiry.giving_side)
    receiver = inquiry.receiving_organisation
    return {
        "inquiry": inquiry,
        "listing": listing,
        "giver": giver,
        "receiver": receiver,
        "quantity": quantity_of(inquiry),
        "details": attribute_rows(listing),
        "period_start": inquiry.period_start,
        "period_end": inquiry.period_end,
        "handover_on": inquiry.handover_on,
        "given_on": given_on(inquiry),
        "region": inquiry.region,
        "generated_on": timezone.localdate(),
        "rent": rent_of(inquiry) if listing.terms == Terms.RENT else "",
        "receiver_is_public_body": receiver.type in PUBLIC_BODY_TYPES,
        "receiver_is_corporation": receiver.type in CORPORATION_TYPES,
    }
