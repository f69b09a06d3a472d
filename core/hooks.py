"""Hook points: how a lower app shows (or collects) a higher app's part without importing it.

The packages stand on each other (README, "How it fits together"): the region's home page
(regions) shows the newest listings, an organisation's profile (organisations) its
listings and thank-you notes, the listing page (listings) the inquiry panel, and the
personal-data export (accounts) every app's share. The lower app declares a `Hook` in its
`hooks.py`, saying what it passes and what it expects back, and asks it for the
contributions where it needs them; the higher app registers a function for it in its
`contributions.py`, which its `AppConfig.ready()` imports:

    # regions/hooks.py
    region_home = Hook("region_home", "(request) → context for regions/home.html")

    # listings/contributions.py
    @region_home.register
    def newest_listings(request): ...

A page's markup follows the same rule: a lower template never names a higher app's
template. A hook declares its `parts`, keys under which contributors return lists of
template names, and the lower template includes whatever they hold at that place:

    region_home = Hook("region_home", "…", parts=("parts",))
    {% for part in parts %}{% include part %}{% endfor %}

Contributions run in the order they were registered, which is the order of
INSTALLED_APPS, so the page's parts keep their order. Errors are not caught: a failing
part fails the page, as it did when the page called it directly.
"""

from collections.abc import Callable


class Hook:
    """A named point at which higher apps add their part."""

    def __init__(self, name: str, description: str = "", *, parts: tuple[str, ...] = ()):
        self.name = name
        self.description = description
        self.parts = parts
        self.contributors: list[Callable] = []

    def __repr__(self):
        return f"<Hook {self.name}: {len(self.contributors)} contributor(s)>"

    def register(self, contributor: Callable) -> Callable:
        """Adds `contributor` unless it is there already; usable as a decorator."""
        if contributor not in self.contributors:
            self.contributors.append(contributor)
        return contributor

    def results(self, *args, **kwargs) -> list:
        """What each contributor returns, in the order they were registered."""
        return [contributor(*args, **kwargs) for contributor in self.contributors]

    def merged(self, *args, **kwargs) -> dict:
        """The dictionaries the contributors return, merged into one (for a template's
        context or an export's sections). The lists under the hook's `parts` keys are
        joined, in the contributors' order; every such key is there, if only empty."""
        merged = {key: [] for key in self.parts}
        for contribution in self.results(*args, **kwargs):
            for key, value in contribution.items():
                if key in self.parts:
                    merged[key] = [*merged[key], *value]
                else:
                    merged[key] = value
        return merged
