"""What accounts adds to the ground floor's hook points (core.hooks); registered when the
app is ready (accounts.apps)."""

from core.mail import recipient_languages

from .models import User


@recipient_languages.register
def chosen_languages(addresses) -> dict:
    """The language each person with an account chose for their mails (one query)."""
    folded = {address.lower() for address in addresses}
    if not folded:
        return {}
    return dict(User.objects.filter(email__in=folded).values_list("email", "language"))
