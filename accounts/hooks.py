"""The points at which higher apps add their share of a person's data (core.hooks)."""

from core.hooks import Hook

# The personal-data export: each contributor gets the user and returns a dict of the
# export's sections it keeps (organisations: "organisations"; listings:
# "listings_written"; inquiries: "messages_written", "email_settings"), after the
# account's own.
personal_data_export = Hook("personal_data_export", "(user) → sections of the export")

# Deleting one's own account: each contributor gets the user and returns a list of
# reasons why it cannot be deleted yet (organisations: the only owner of one); empty when
# nothing in the way. What a deletion removes or keeps without the name is decided by
# each model's foreign key to the user.
deletion_blockers = Hook("deletion_blockers", "(user) → reasons the account cannot go")

# "My account": each contributor gets the request and returns a dict for the context of
# accounts/overview.html, with the cards it adds under "parts" (alerts: saved searches and
# the region's newsletter).
account_overview = Hook(
    "account_overview", "(request) → context of the account overview", parts=("parts",)
)

# allauth's mails (confirmation, password reset): each contributor gets the region the mail
# is sent from (None on a portal host) and returns a dict for the mail's context (regions:
# the installation's operator, who signs what is sent from the portal).
account_mail = Hook("account_mail", "(region or None) → context of allauth's mails")
