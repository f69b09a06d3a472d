"""The points at which higher apps add their part to the inquiries' pages (core.hooks)."""

from core.hooks import Hook

# "E-Mail-Einstellungen": each contributor gets the request and returns
# {"forms": [form]}, forms of the person's own settings (bound to request.POST when the
# page is posted, with a `legend` and a prefix of their own, and `save()`), which the page
# shows below the inquiries' own and saves with them, all or none (matching: mails about
# offers and requests that fit).
email_settings = Hook(
    "email_settings", "(request) → the person's email settings forms", parts=("forms",)
)

# The inquiry page: each contributor gets the request, the inquiry and the viewer's side,
# and returns a dict for the context of inquiries/detail.html, with the templates it shows
# in the aside, below "About this inquiry", under "aside_parts" (agreements: the contract
# or donation receipt the two organisations may print and sign).
inquiry_page = Hook(
    "inquiry_page",
    "(request, inquiry, side) → context of the inquiry page",
    parts=("aside_parts",),
)
