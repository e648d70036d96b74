"""Native date and time inputs (UX.md §2.5). A browser accepts only ISO values in them
(2026-12-04, 15:43, 2026-12-04T15:43) whatever the page's language, so they always render ISO;
Django's localised default (04/12/2026 in Italian and Spanish) would show an empty field."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
