from datetime import UTC, date, datetime, timedelta

import pytest

from smartcommune.feedback.working_time import TZ, add_working_days, add_working_hours, deadline

# Tết Bính Ngọ 2026 as an example of a long break: Monday 16/02 to Friday 20/02 are days off.
TET_2026 = {date(2026, 2, 16) + timedelta(days=i) for i in range(5)}


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def test_hours_inside_one_morning_shift():
    assert add_working_hours(at(2025, 6, 2, 8, 0), 2) == at(2025, 6, 2, 10, 0)


def test_hours_skip_the_lunch_break():
    assert add_working_hours(at(2025, 6, 2, 10, 30), 2) == at(2025, 6, 2, 14, 30)


def test_a_full_working_day_is_seven_and_a_half_hours():
    assert add_working_hours(at(2025, 6, 2, 7, 30), 7.5) == at(2025, 6, 2, 17, 0)


def test_hours_from_friday_afternoon_end_after_the_weekend():
    # 1 h on Friday, 7.5 h on Monday, 0.5 h on Tuesday
    assert add_working_hours(at(2025, 6, 6, 16, 0), 9) == at(2025, 6, 10, 8, 0)
    assert add_working_hours(at(2025, 6, 6, 16, 0), 8) == at(2025, 6, 9, 16, 30)


def test_hours_received_at_night_or_at_lunch_start_at_the_next_shift():
    assert add_working_hours(at(2025, 6, 2, 5, 0), 1) == at(2025, 6, 2, 8, 30)
    assert add_working_hours(at(2025, 6, 2, 12, 0), 1) == at(2025, 6, 2, 14, 30)
    assert add_working_hours(at(2025, 6, 2, 18, 0), 1) == at(2025, 6, 3, 8, 30)


def test_hours_received_on_saturday_start_on_monday():
    assert add_working_hours(at(2025, 6, 7, 10, 0), 8) == at(2025, 6, 10, 8, 0)


def test_zero_hours_is_the_next_working_moment():
    assert add_working_hours(at(2025, 6, 7, 10, 0), 0) == at(2025, 6, 9, 7, 30)


def test_hours_skip_the_tet_holidays_and_the_weekends_around_them():
    # Friday 13/02/2026 16:00 + 2 h: 1 h on Friday, then nothing until Monday 23/02.
    assert add_working_hours(at(2026, 2, 13, 16, 0), 2, TET_2026) == at(2026, 2, 23, 8, 30)


def test_days_end_at_five_pm_and_do_not_count_the_day_of_receipt():
    assert add_working_days(at(2025, 6, 2, 8, 0), 1) == at(2025, 6, 3, 17, 0)
    assert add_working_days(at(2025, 6, 6, 16, 0), 1) == at(2025, 6, 9, 17, 0)
    assert add_working_days(at(2025, 6, 7, 9, 0), 1) == at(2025, 6, 9, 17, 0)
    assert add_working_days(at(2025, 6, 2, 8, 0), 5) == at(2025, 6, 9, 17, 0)


def test_days_skip_the_tet_holidays():
    # Thursday 12/02: Friday 13/02 is day 1, Monday 23/02 day 2, Tuesday 24/02 day 3.
    assert add_working_days(at(2026, 2, 12, 9, 0), 3, TET_2026) == at(2026, 2, 24, 17, 0)


def test_a_single_holiday_on_a_weekday_is_skipped():
    national_day = {date(2025, 9, 2)}
    assert add_working_days(at(2025, 9, 1, 9, 0), 1, national_day) == at(2025, 9, 3, 17, 0)


def test_times_in_another_zone_are_read_in_vietnam_time():
    # 09:00 UTC on Friday is 16:00 in Hanoi: one hour left that day.
    friday_utc = datetime(2025, 6, 6, 9, 0, tzinfo=UTC)
    assert add_working_hours(friday_utc, 2) == at(2025, 6, 9, 8, 30)


def test_deadline_chooses_hours_or_days():
    start = at(2025, 6, 2, 8, 0)
    assert deadline(start, 8, "hours") == at(2025, 6, 3, 8, 30)
    assert deadline(start, 2, "days") == at(2025, 6, 4, 17, 0)
    with pytest.raises(ValueError):
        deadline(start, 2, "weeks")


def test_naive_times_and_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        add_working_hours(datetime(2025, 6, 2, 8, 0), 1)
    with pytest.raises(ValueError):
        add_working_hours(at(2025, 6, 2, 8, 0), -1)
    with pytest.raises(ValueError):
        add_working_days(at(2025, 6, 2, 8, 0), 0)


def test_a_year_of_holidays_stops_with_an_error_rather_than_looping():
    every_day = {date(2025, 1, 1) + timedelta(days=i) for i in range(4 * 366)}
    with pytest.raises(ValueError):
        add_working_days(at(2025, 1, 1, 8, 0), 1, every_day)
