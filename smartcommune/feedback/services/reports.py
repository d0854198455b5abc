"""Writes on community reports: submitting, handling (state, unit, merge), rating and escalation.

Every change to a report leaves a ReportUpdate and tells the reporter (after the transaction commits,
through core.notify). Report numbers ("PA-2025-000123") come from a per-commune, per-year counter row
incremented by one UPDATE inside the report's own transaction: concurrent submissions wait for each
other on that row (PostgreSQL) or on the write lock (SQLite), so numbers are never given twice and a
report that fails leaves no gap.
"""

import math
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcommune.accounts.models import Department, Role, RoleAssignment, User
from smartcommune.core import geo, identifiers, notify
from smartcommune.core.images import clean_image
from smartcommune.places.models import Commune, Village

from .. import access, answers, selectors, units, working_time
from ..models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    ApiKey,
    Category,
    Report,
    ReportCounter,
    ReportPhoto,
    ReportUpdate,
    Status,
)

MAX_PHOTOS = 3
PHOTO_MAX_BYTES = 8 * 2**20
DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 4000
NOTE_MAX = 2000
# What the handling unit may move a report to, from each open state. "duplicate" goes through a merge;
# a closed report opens again only through the reporter's "not satisfied" (once).
TRANSITIONS = {
    Status.RECEIVED: (
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.REJECTED,
        Status.NOT_RESPONSIBLE,
        Status.REFERRED,
    ),
    Status.ASSIGNED: (Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED, Status.NOT_RESPONSIBLE, Status.REFERRED),
    Status.IN_PROGRESS: (Status.RESOLVED, Status.REJECTED, Status.NOT_RESPONSIBLE, Status.REFERRED),
}


# Deadlines and places -----------------------------------------------------------------------------


def deadline_for(category: Category, start: datetime) -> datetime:
    """The handling deadline of a report of `category` received at `start`, in the commune's working time."""
    local = timezone.localtime(start, working_time.TZ).date()
    days_off = selectors.holidays(
        category.commune_id, local, local + working_time.calendar_span(category.deadline_amount, category.deadline_unit)
    )
    return working_time.deadline(start, category.deadline_amount, category.deadline_unit, days_off)


def location_check(commune: Commune, latitude, longitude) -> tuple[float, float]:
    """The point as two floats, inside Vietnam and near the commune; ValidationError otherwise."""
    try:
        lat, long = float(latitude), float(longitude)
    except (TypeError, ValueError) as error:
        raise ValidationError({"latitude": _("The position is not a pair of numbers.")}) from error
    if not (math.isfinite(lat) and math.isfinite(long)) or not geo.in_vietnam(lat, long):
        raise ValidationError({"latitude": _("This position is outside Vietnam.")})
    area = selectors.area_for(commune)
    if area and geo.distance_m(lat, long, area.latitude, area.longitude) > area.radius_km * 1000:
        raise ValidationError(
            {
                "latitude": _("This position is outside %(commune)s. Move the pin into the commune.")
                % {"commune": commune}
            }
        )
    return lat, long


def _next_number(commune: Commune, year: int) -> int:
    """The next number of the commune's year; must run inside the report's transaction."""
    counter = ReportCounter.objects.filter(commune=commune, year=year)
    if not counter.update(last=F("last") + 1):
        try:
            with transaction.atomic():  # a savepoint: a concurrent first report of the year may win the insert
                ReportCounter.objects.create(commune=commune, year=year, last=1)
                return 1
        except IntegrityError:
            counter.update(last=F("last") + 1)
    return counter.values_list("last", flat=True).get()


def format_number(year: int, sequence: int) -> str:
    return f"PA-{year}-{sequence:06d}"


def follow_url(report: Report) -> str:
    return settings.SITE_URL + reverse("feedback:follow", args=[report.token])


# Notifications ------------------------------------------------------------------------------------


def _notify_reporter(report: Report, subject: str, body: str) -> None:
    """Tell the reporter, once the change is committed; nothing when they left no contact."""
    if not (report.reporter_email or report.reporter_phone):
        return
    message = notify.Message(
        subject=subject,
        body=body,
        email=report.reporter_email,
        phone=report.reporter_phone,
        url=follow_url(report),
    )
    transaction.on_commit(lambda: notify.send(message))


def _leadership_contacts(commune: Commune) -> list[str]:
    assignments = RoleAssignment.objects.filter(
        commune=commune, role=Role.COMMUNE_OFFICIAL, department=Department.OFFICE, user__is_active=True
    ).exclude(user__email="")
    return sorted(set(assignments.values_list("user__email", flat=True)))


# Submitting ---------------------------------------------------------------------------------------


def _clean_text(value: str | None, *, limit: int) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    return text[:limit]


def report_submit(
    *,
    commune: Commune,
    category: Category | None,
    description: str = "",
    latitude=None,
    longitude=None,
    village: Village | None = None,
    place_text: str = "",
    photos: Sequence = (),
    raw_answers: Mapping[str, Sequence[str]] | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    anonymous: bool = False,
    user: User | None = None,
    source: str = Report.Source.WEB,
    api_key: ApiKey | None = None,
    media_url: str = "",
    require_description: bool = True,
    now: datetime | None = None,
) -> Report:
    """Check everything, then store the report with its number, unit and deadline; tell the reporter."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = defaultdict(list)
    if category is None or category.commune_id != commune.pk or not category.is_active:
        raise ValidationError({"category": _("Choose a category of this commune.")})
    description = _clean_text(description, limit=DESCRIPTION_MAX + 1)
    if len(description) > DESCRIPTION_MAX:
        errors["description"].append(_("Use at most %(limit)s characters.") % {"limit": DESCRIPTION_MAX})
    elif require_description and len(description) < DESCRIPTION_MIN:
        errors["description"].append(
            _("Describe the problem in a few words (at least %(limit)s characters).") % {"limit": DESCRIPTION_MIN}
        )
    lat = long = None
    if latitude not in (None, "") or longitude not in (None, ""):
        if latitude in (None, "") or longitude in (None, ""):
            errors["latitude"].append(_("Give both the latitude and the longitude."))
        else:
            try:
                lat, long = location_check(commune, latitude, longitude)
            except ValidationError as error:
                errors["latitude"] += error.message_dict["latitude"]
    if village is not None and (village.commune_id != commune.pk or village.status != Village.Status.ACTIVE):
        errors["village"].append(_("Choose a village of this commune."))
    place_text = _clean_text(place_text, limit=300)
    if lat is None and village is None and not place_text and not errors["latitude"]:
        errors["latitude"].append(_("Put a pin on the map or choose the village."))
    answered, answer_errors = answers.clean(category.questions.all(), raw_answers or {})
    for code, message in answer_errors.items():
        errors[f"q_{code}"].append(message)
    if len(photos) > MAX_PHOTOS:
        errors["photos"].append(_("Send at most %(count)s photos.") % {"count": MAX_PHOTOS})
    cleaned_photos = []
    for upload in photos[:MAX_PHOTOS]:
        try:
            cleaned_photos.append(clean_image(upload, max_bytes=PHOTO_MAX_BYTES))
        except ValidationError as error:
            errors["photos"] += error.messages
    reporter_name = _clean_text(reporter_name, limit=150)
    if reporter_phone:
        try:
            reporter_phone = identifiers.normalize_phone(reporter_phone)
        except ValidationError as error:
            errors["reporter_phone"] += error.messages
    reporter_email = (reporter_email or "").strip()
    if reporter_email:
        try:
            EmailValidator()(reporter_email)
        except ValidationError:
            errors["reporter_email"].append(_("Enter a valid e-mail address."))
    media_url = (media_url or "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors["media_url"].append(_("The photo address must be an http or https URL."))
    if any(errors.values()):
        raise ValidationError({field: messages for field, messages in errors.items() if messages})

    report = Report(
        commune=commune,
        category=category,
        description=description,
        answers=answered,
        latitude=lat,
        longitude=long,
        village=village,
        place_text=place_text,
        media_url=media_url,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        reporter_email=reporter_email,
        anonymous=anonymous,
        reporter=user if user is not None and user.is_authenticated else None,
        token=Report.new_token(),
        source=source,
        api_key=api_key,
        status=Status.RECEIVED,
        unit=units.for_report(category.unit, village),
        is_public=category.is_public,
        deadline=deadline_for(category, now),
        created_at=now,
        updated_at=now,
    )
    for photo in cleaned_photos:
        photo.name = f"{secrets.token_hex(8)}.{photo.name.rsplit('.', 1)[-1]}"  # no personal file names
    # Everything above only read; the write lock (SQLite) or the counter row (PostgreSQL) is held from here.
    with transaction.atomic():
        local_year = timezone.localtime(now, working_time.TZ).year
        report.number = format_number(local_year, _next_number(commune, local_year))
        report.save()
        for photo in cleaned_photos:
            ReportPhoto.objects.create(report=report, image=photo)
        ReportUpdate.objects.create(
            report=report, kind=ReportUpdate.Kind.CREATED, status=report.status, unit=report.unit, created_at=now
        )
        unit_name = units.label(report.unit, units.labels(commune)) if reporter_email or reporter_phone else ""
        _notify_reporter(
            report,
            _("Report %(number)s received") % {"number": report.number},
            _(
                "Thank you. Your report %(number)s (%(category)s) was received and sent to %(unit)s, "
                "to be handled by %(deadline)s. Follow it at this private address:"
            )
            % {
                "number": report.number,
                "category": category.name,
                "unit": unit_name,
                "deadline": timezone.localtime(report.deadline, working_time.TZ).strftime("%H:%M %d/%m/%Y"),
            },
        )
    return report


# Handling -----------------------------------------------------------------------------------------


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("commune", "category").get(pk=report.pk)


def _note(note: str | None, *, required: bool = True) -> str:
    text = _clean_text(note, limit=NOTE_MAX + 1)
    if len(text) > NOTE_MAX:
        raise ValidationError({"note": _("Use at most %(limit)s characters.") % {"limit": NOTE_MAX}})
    if required and not text:
        raise ValidationError({"note": _("Write a note: the reporter and the public read it.")})
    return text


@transaction.atomic
def report_transition(
    *, report: Report, status: str, note: str, by: User, photo=None, now: datetime | None = None
) -> Report:
    """Move a report to another state, with a note (and a photo); only its unit or the leadership may."""
    now = now or timezone.now()
    report = _locked(report)
    access.require_handle(by, report)
    if status == Status.DUPLICATE:
        raise ValidationError({"status": _("Use “merge as duplicate” and name the other report.")})
    if status not in TRANSITIONS.get(report.status, ()):
        raise ValidationError(
            {
                "status": _("A report that is “%(current)s” cannot become “%(new)s”.")
                % {"current": report.get_status_display(), "new": dict(Status.choices).get(status, status)}
            }
        )
    text = _note(note)
    picture = _update_photo(photo)
    old = report.status
    report.status, report.updated_at, report.status_notes = status, now, text
    if status in CLOSED_STATUSES:
        report.closed_at = now
    report.save(update_fields=["status", "updated_at", "closed_at", "status_notes"])
    update = ReportUpdate(
        report=report,
        kind=ReportUpdate.Kind.STATUS,
        status=status,
        old_status=old,
        unit=report.unit,
        old_unit=report.unit,
        note=text,
        by=by,
        created_at=now,
    )
    if picture:
        update.photo = picture
    update.save()
    body = text
    if status == Status.RESOLVED:
        body += "\n\n" + _("Is the problem solved? Tell us at the address below (once resolved, you can rate it).")
    _notify_reporter(
        report,
        _("Report %(number)s: %(status)s") % {"number": report.number, "status": report.get_status_display()},
        body,
    )
    return report


def _update_photo(photo):
    if not photo:
        return None
    picture = clean_image(photo, max_bytes=PHOTO_MAX_BYTES)
    picture.name = f"{secrets.token_hex(8)}.{picture.name.rsplit('.', 1)[-1]}"
    return picture


@transaction.atomic
def report_reassign(*, report: Report, unit: str, note: str, by: User, now: datetime | None = None) -> Report:
    """Give an open report to another unit; its deadline keeps running from the day it was received."""
    now = now or timezone.now()
    report = _locked(report)
    access.require_handle(by, report)
    if not report.is_open:
        raise ValidationError(_("A closed report cannot be reassigned."))
    if not units.is_valid(report.commune, unit):
        raise ValidationError({"unit": _("Choose a unit of this commune.")})
    if unit == report.unit:
        raise ValidationError({"unit": _("The report is already with this unit.")})
    text = _note(note)
    old_unit, old_status = report.unit, report.status
    report.unit, report.status, report.updated_at, report.status_notes = unit, Status.ASSIGNED, now, text
    report.save(update_fields=["unit", "status", "updated_at", "status_notes"])
    ReportUpdate.objects.create(
        report=report,
        kind=ReportUpdate.Kind.REASSIGNED,
        status=report.status,
        old_status=old_status,
        unit=unit,
        old_unit=old_unit,
        note=text,
        by=by,
        created_at=now,
    )
    name = units.label(unit, units.labels(report.commune))
    _notify_reporter(
        report,
        _("Report %(number)s was passed to %(unit)s") % {"number": report.number, "unit": name},
        text,
    )
    return report


@transaction.atomic
def report_merge(*, report: Report, into: Report, note: str, by: User, now: datetime | None = None) -> Report:
    """Close `report` as a duplicate of `into` (or of the report `into` itself joined)."""
    now = now or timezone.now()
    report = _locked(report)
    access.require_handle(by, report)
    into = Report.objects.select_related("duplicate_of").get(pk=into.pk)
    while into.duplicate_of_id:
        into = Report.objects.select_related("duplicate_of").get(pk=into.duplicate_of_id)
    if into.commune_id != report.commune_id:
        raise ValidationError({"into": _("The other report must be of the same commune.")})
    if into.pk == report.pk:
        raise ValidationError({"into": _("A report cannot be a duplicate of itself.")})
    if not report.is_open:
        raise ValidationError(_("A closed report cannot be merged."))
    text = _note(note, required=False) or _("Same problem as report %(number)s.") % {"number": into.number}
    old = report.status
    report.status, report.duplicate_of, report.closed_at, report.updated_at = Status.DUPLICATE, into, now, now
    report.status_notes = text
    report.save(update_fields=["status", "duplicate_of", "closed_at", "updated_at", "status_notes"])
    ReportUpdate.objects.create(
        report=report,
        kind=ReportUpdate.Kind.MERGED,
        status=Status.DUPLICATE,
        old_status=old,
        unit=report.unit,
        old_unit=report.unit,
        note=text,
        by=by,
        created_at=now,
    )
    _notify_reporter(
        report,
        _("Report %(number)s joins report %(other)s") % {"number": report.number, "other": into.number},
        text + "\n\n" + _("It is handled together with report %(other)s.") % {"other": into.number},
    )
    return report


@transaction.atomic
def report_set_public(*, report: Report, is_public: bool, by: User) -> Report:
    """Hide a report from the public (e.g. its text names someone) or show it again."""
    report = _locked(report)
    access.require_handle(by, report)
    report.is_public = is_public
    report.save(update_fields=["is_public"])
    return report


@transaction.atomic
def report_rate(*, report: Report, satisfied: bool, comment: str = "", now: datetime | None = None) -> Report:
    """The reporter's verdict on a resolved report; "not satisfied" reopens it, once."""
    now = now or timezone.now()
    report = _locked(report)
    if not report.can_be_rated:
        raise ValidationError(_("This report cannot be rated now: it is not resolved, or it was rated already."))
    comment = _clean_text(comment, limit=1001)
    if len(comment) > 1000:
        raise ValidationError({"comment": _("Use at most %(limit)s characters.") % {"limit": 1000}})
    report.satisfied, report.rating_comment, report.rated_at, report.updated_at = satisfied, comment, now, now
    fields = ["satisfied", "rating_comment", "rated_at", "updated_at"]
    ReportUpdate.objects.create(
        report=report,
        kind=ReportUpdate.Kind.RATED,
        status=report.status,
        old_status=report.status,
        unit=report.unit,
        old_unit=report.unit,
        note=comment,
        is_public=False,  # the comment is the reporter's own words; the public sees only the verdict
        created_at=now,
    )
    if not satisfied and not report.reopened:
        report.status, report.reopened, report.closed_at, report.escalated_at = Status.IN_PROGRESS, True, None, None
        report.deadline = deadline_for(report.category, now)
        report.status_notes = _("The reporter is not satisfied: the report is handled again.")
        fields += ["status", "reopened", "closed_at", "escalated_at", "deadline", "status_notes"]
        ReportUpdate.objects.create(
            report=report,
            kind=ReportUpdate.Kind.REOPENED,
            status=Status.IN_PROGRESS,
            old_status=Status.RESOLVED,
            unit=report.unit,
            old_unit=report.unit,
            note=report.status_notes,
            created_at=now,
        )
        _notify_reporter(
            report,
            _("Report %(number)s was reopened") % {"number": report.number},
            _("You were not satisfied, so the report goes back to %(unit)s, to be handled by %(deadline)s.")
            % {
                "unit": units.label(report.unit, units.labels(report.commune)),
                "deadline": timezone.localtime(report.deadline, working_time.TZ).strftime("%H:%M %d/%m/%Y"),
            },
        )
    report.save(update_fields=fields)
    return report


def reports_escalate(
    *, now: datetime | None = None, commune: Commune | None = None, notify_leadership: bool = True
) -> list[Report]:
    """Escalate every open report past its deadline to the commune leadership, once each.

    Safe to run again at any time (e.g. from cron every 15 minutes): a report is escalated by the first
    run that marks it, and the leadership of each commune gets one message per run listing them."""
    now = now or timezone.now()
    overdue = Report.objects.overdue(now).filter(escalated_at__isnull=True)
    if commune:
        overdue = overdue.filter(commune=commune)
    escalated: dict[int, list[Report]] = defaultdict(list)
    for report in overdue.select_related("commune").order_by("deadline").iterator(chunk_size=500):
        with transaction.atomic():
            marked = Report.objects.filter(pk=report.pk, escalated_at__isnull=True, status__in=OPEN_STATUSES).update(
                escalated_at=now
            )
            if not marked:
                continue
            ReportUpdate.objects.create(
                report=report,
                kind=ReportUpdate.Kind.ESCALATED,
                status=report.status,
                old_status=report.status,
                unit=report.unit,
                old_unit=report.unit,
                note=_("Past its deadline of %(deadline)s: escalated to the commune leadership.")
                % {"deadline": timezone.localtime(report.deadline, working_time.TZ).strftime("%H:%M %d/%m/%Y")},
                is_public=False,
                created_at=now,
            )
        escalated[report.commune_id].append(report)
    for reports in escalated.values() if notify_leadership else ():
        commune_of = reports[0].commune
        numbers = ", ".join(r.number for r in reports[:50]) + (" …" if len(reports) > 50 else "")
        for email in _leadership_contacts(commune_of):
            notify.send(
                notify.Message(
                    subject=_("%(count)s overdue reports in %(commune)s")
                    % {"count": len(reports), "commune": commune_of},
                    body=_("These reports are past their deadline: %(numbers)s") % {"numbers": numbers},
                    email=email,
                    url=settings.SITE_URL + reverse("feedback:inbox", args=[commune_of.code]) + "?escalated=1",
                )
            )
    return [report for reports in escalated.values() for report in reports]


def raw_answers_from_form(data, codes: Iterable[str]) -> dict[str, list[str]]:
    """The web form's q_<code> fields as the raw answers answers.clean expects."""
    return {code: [v for v in data.getlist(f"q_{code}")] for code in codes}
