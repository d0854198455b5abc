"""Working time of a commune office, and handling deadlines counted in it: pure functions, no database.

Offices work Monday to Friday, 07:30–11:30 and 13:30–17:00 (Asia/Ho_Chi_Minh), 7.5 hours a day, except
on the holidays the commune enters (Tết, 30/4–1/5, 2/9… and the swapped days the government announces
each year, which is why they are data and not code).

- A deadline in working hours runs only inside working shifts: 9 hours from Friday 16:00 end on
  Tuesday 08:00 (1 h on Friday, 7.5 h on Monday, 0.5 h on Tuesday).
- A deadline in working days ends at 17:00 of the N-th working day after the day of receipt; the day of
  receipt does not count, as for administrative procedures: 1 day from Friday 16:00 is Monday 17:00.
"""

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SHIFTS = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
DAY_END = SHIFTS[-1][1]
HOURS_PER_DAY = 7.5
# No deadline is longer than this; the loops below stop here rather than run away on bad data.
MAX_CALENDAR_DAYS = 3 * 366

HOURS = "hours"
DAYS = "days"


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_hours(start: datetime, hours: float, holidays: Collection[date] = ()) -> datetime:
    """The moment `hours` of working time after `start` (aware); before or between shifts counts from the next."""
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    if hours < 0:
        raise ValueError("hours must not be negative")
    remaining = timedelta(hours=hours)
    current = start.astimezone(TZ)
    day = current.date()
    for _ in range(MAX_CALENDAR_DAYS):
        if is_working_day(day, holidays):
            for begin, end in SHIFTS:
                shift_start, shift_end = datetime.combine(day, begin, TZ), datetime.combine(day, end, TZ)
                if current >= shift_end:
                    continue
                current = max(current, shift_start)
                available = shift_end - current
                if remaining <= available:
                    return current + remaining
                remaining -= available
                current = shift_end
        day += timedelta(days=1)
        current = datetime.combine(day, time(0), TZ)
    raise ValueError("no working time found within three years (are all days holidays?)")


def add_working_days(start: datetime, days: int, holidays: Collection[date] = ()) -> datetime:
    """17:00 of the `days`-th working day after the day of `start` (local date)."""
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    if days < 1:
        raise ValueError("days must be at least 1")
    day, counted = start.astimezone(TZ).date(), 0
    for _ in range(MAX_CALENDAR_DAYS):
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
            if counted == days:
                return datetime.combine(day, DAY_END, TZ)
    raise ValueError("no working day found within three years (are all days holidays?)")


def deadline(start: datetime, amount: int, unit: str, holidays: Collection[date] = ()) -> datetime:
    """The handling deadline of something received at `start`: `amount` working hours or days."""
    if unit == HOURS:
        return add_working_hours(start, amount, holidays)
    if unit == DAYS:
        return add_working_days(start, amount, holidays)
    raise ValueError(f"unknown unit {unit!r}")


def calendar_span(amount: int, unit: str) -> timedelta:
    """A generous calendar span that holds the deadline, to know which holidays to read."""
    working_days = amount if unit == DAYS else int(amount // HOURS_PER_DAY) + 1
    return timedelta(days=working_days * 2 + 30)
