"""The period of the back office's figures: two dates, the last 12 months by default."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .report import Period

LONGEST = datetime.timedelta(days=366 * 10)
FIRST_YEAR, LAST_YEAR = 2000, 2099


def last_twelve_months(today=None) -> Period:
    today = today or timezone.localdate()
    try:
        start = today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28) + datetime.timedelta(days=1)
    return Period(start, today)


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        help_text=_("e.g. 1.1.2026"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Please enter a date such as 1.1.2026.")},
    )
    end = forms.DateField(
        label=_("Until"),
        help_text=_("This day included."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Please enter a date such as 31.12.2026.")},
    )

    def __init__(self, data=None, **kwargs):
        default = last_twelve_months()
        if data is not None and not (data.get("start") or data.get("end")):
            data = None  # no period asked for: the default, without errors
        super().__init__(data, initial={"start": default.start, "end": default.end}, **kwargs)
        self.default = default

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start.year >= FIRST_YEAR and end.year <= LAST_YEAR:
            if end < start:
                self.add_error("end", _("The end must not be before the start."))
            elif end - start > LONGEST:
                self.add_error("end", _("Please choose a period of at most ten years."))
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day and day.year < FIRST_YEAR:
                self.add_error(name, _("Please choose a date from the year 2000 on."))
            elif day and day.year > LAST_YEAR:
                self.add_error(name, _("Please choose a date before the year 2100."))
        return cleaned

    def period(self) -> Period | None:
        """The period asked for; the default when none was; None when it is invalid."""
        if not self.is_bound:
            return self.default
        if not self.is_valid():
            return None
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])
