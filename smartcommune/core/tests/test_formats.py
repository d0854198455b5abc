import datetime
from decimal import Decimal

from django import forms
from django.template import Context, Template
from django.utils import translation


class DateForm(forms.Form):
    day = forms.DateField()


def test_a_vietnamese_date_is_read_day_first():
    with translation.override("vi"):
        form = DateForm({"day": "05/03/2025"})
        assert form.is_valid()
        assert form.cleaned_data["day"] == datetime.date(2025, 3, 5)


def test_an_iso_date_is_also_accepted():
    with translation.override("vi"):
        assert DateForm({"day": "2025-03-05"}).is_valid()


def test_numbers_and_dates_print_the_vietnamese_way():
    template = Template("{{ n }} {{ d|date:'SHORT_DATE_FORMAT' }}")
    with translation.override("vi"):
        out = template.render(Context({"n": Decimal("1234567.5"), "d": datetime.date(2025, 3, 5)}))
    assert out == "1.234.567,5 05/03/2025"
