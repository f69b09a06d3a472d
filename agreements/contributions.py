"""What agreements adds to the pages of the apps below it, through their hook points
(core.hooks); registered when the app is ready (agreements.apps)."""

from inquiries.hooks import inquiry_page
from listings.hooks import listing_form, listing_page

from .documents import documents_for, shows_no_receipt_note
from .lending import is_about_staff


@inquiry_page.register
def inquiry_documents(request, inquiry, side) -> dict:
    """The documents the two organisations may print and sign, or why a non-profit gets
    no donation receipt for a loan, a rental or donated time."""
    documents = documents_for(inquiry)
    no_receipt = shows_no_receipt_note(inquiry)
    if not documents and not no_receipt:
        return {}
    return {
        "agreement_documents": documents,
        "no_receipt_note": no_receipt,
        "aside_parts": ["agreements/_inquiry_documents.html"],
    }


@listing_page.register
def staff_lending_link(request, listing, is_member) -> dict:
    """A listing of staff links the guide to lending employees between companies."""
    if not is_about_staff(listing.category):
        return {}
    return {"parts": ["agreements/_staff_lending_link.html"]}


@listing_form.register
def staff_lending_frame(request, category, listing, data) -> dict:
    """Beside the form of a listing of staff: the legal frame in short, the guide and the
    template agreement. No form of its own: lending is agreed between the two companies."""
    if not is_about_staff(category):
        return {}
    return {"aside_parts": ["agreements/_listing_form_aside.html"]}
