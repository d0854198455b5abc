"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), with FixMyStreet's servicerequestupdates.

Plain views with explicit serialisers, because the standard fixes the shapes: XML (required) without a
namespace, and JSON as its mechanical mapping; lists are arrays, a service definition and the discovery
document are objects; errors are [{"code", "description"}] / <errors><error>…</error></errors> with
HTTP 404 for what does not exist, 403 for a missing or wrong api_key and 400 for anything else.

A commune is a jurisdiction: jurisdiction_id is its five-digit code, required only when more than one
commune has categories. Categories are services (service_code = category code, "realtime"); their
extra questions are the attributes. Only public reports are listed, with the reporter left out and
the point snapped to about 100 m; internal states map to open/closed, with the latest public note as
status_notes and the whole public history in servicerequestupdates.
"""

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Max, OuterRef, Subquery
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from smartcommune.core import geo, ratelimit
from smartcommune.places.models import Commune, Village

from . import selectors, services, units, working_time
from .models import OPEN_STATUSES, Category, Question, Report, ReportPhoto, ReportUpdate, Status

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
MAX_SPAN = timedelta(days=90)
MAX_REQUESTS = 1000
# XML element of one item in each list, by the list's name (Open311's element names).
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "service_requests_updates": "request_update",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
# Internal state -> FixMyStreet update status (Open311::Endpoint::Role::mySociety).
UPDATE_STATUS = {
    Status.RECEIVED: "open",
    Status.ASSIGNED: "investigating",
    Status.IN_PROGRESS: "in_progress",
    Status.RESOLVED: "fixed",
    Status.REJECTED: "no_further_action",
    Status.DUPLICATE: "duplicate",
    Status.NOT_RESPONSIBLE: "not_councils_responsibility",
    Status.REFERRED: "internal_referral",
}
# A "+07:00" offset sent without URL encoding arrives as " 07:00".
OFFSET_AS_SPACE = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")
ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
# Report fields -> the Open311 argument a client sent, to name it in error messages.
ARGUMENTS = {
    "category": "service_code",
    "latitude": "lat",
    "village": "address_id",
    "reporter_phone": "phone",
    "reporter_email": "email",
    "reporter_name": "first_name",
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str, code: int | None = None):
        super().__init__(description)
        self.status, self.errors = status, [(code or status, description)]


# Serialising --------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml_element(tag: str, value) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            element.append(_xml_element(key, child))
    elif isinstance(value, list):
        item = ITEM_NAMES.get(tag, "item")
        for child in value:
            element.append(_xml_element(item, child))
    else:
        element.text = _text(value)
    return element


def render(fmt: str, root: str, data, *, status: int = 200) -> HttpResponse:
    """`data` (a list or a dict) as Open311 JSON, or as XML under the element `root`."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    else:
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(_xml_element(root, data), encoding="unicode")
    return HttpResponse(body, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["xml"]), status=status)


def errors(fmt: str, status: int, items: list[tuple[int, str]]) -> HttpResponse:
    data = [{"code": code, "description": description} for code, description in items]
    return render(fmt if fmt in CONTENT_TYPES else "xml", "errors", data, status=status)


def endpoint(view):
    """Checks the format, turns Open311Error (and unexpected input errors) into the standard's errors."""

    @wraps(view)
    def wrapper(request, *args, fmt: str, **kwargs):
        if fmt not in CONTENT_TYPES:
            return errors("xml", 404, [(404, _("Unknown format: use .xml or .json."))])
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as error:
            return errors(fmt, error.status, error.errors)
        except PermissionDenied as error:
            return errors(fmt, 403, [(403, str(error))])

    return wrapper


def _w3c(moment: datetime | None) -> str | None:
    """W3C date and time with the Vietnam offset; naive values (SQLite's plain rows) are UTC."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(working_time.TZ).isoformat(timespec="seconds")


def _none_if_empty(value: str):
    return value or None


# Jurisdictions and services -----------------------------------------------------------------------


def _arguments(request):
    return request.POST if request.method == "POST" else request.GET


def jurisdiction(request) -> Commune | None:
    """The commune asked for; None when no commune offers any service yet."""
    code = _arguments(request).get("jurisdiction_id", "").strip()
    serving = Category.objects.values("commune_id").distinct()
    communes_ = Commune.objects.select_related("province")
    if code:
        commune = communes_.filter(code=code, pk__in=serving).first()
        if commune is None:
            raise Open311Error(404, _("jurisdiction_id %(code)s was not found.") % {"code": code})
        return commune
    communes = list(communes_.filter(pk__in=serving)[:2])
    if len(communes) > 1:
        raise Open311Error(400, _("jurisdiction_id was not provided: this endpoint serves several communes."))
    return communes[0] if communes else None


def _service(category: Category, has_questions: bool) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": has_questions,
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def _attribute(question: Question) -> dict:
    attribute = {
        "variable": question.variable,
        "code": question.code,
        "datatype": question.datatype,
        "required": question.required,
        "datatype_description": _none_if_empty(question.datatype_description),
        "order": question.order,
        "description": question.description,
    }
    if question.datatype in Question.LIST_TYPES:
        attribute["values"] = [{"key": str(v["key"]), "name": v["name"]} for v in question.values]
    return attribute


@require_GET
@endpoint
def discovery(request, *, fmt: str):
    changed = Category.objects.aggregate(at=Max("updated_at"))["at"]
    changeset = _w3c(changed) or "2025-07-01T00:00:00+07:00"
    return render(
        fmt,
        "discovery",
        {
            "changeset": changeset,
            "contact": _("Write to the People's Committee of the commune whose reports you use (its website)."),
            "key_service": _(
                "API keys are issued by each commune's officials, per client, on the staff page "
                "“Community reports → Open311 keys”."
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": f"{settings.SITE_URL}/open311/v2",
                    "changeset": changeset,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@require_GET
@endpoint
def service_list(request, *, fmt: str):
    commune = jurisdiction(request)
    if commune is None:
        return render(fmt, "services", [])
    categories = selectors.active_categories(commune).prefetch_related("questions")
    return render(fmt, "services", [_service(c, bool(c.questions.all())) for c in categories])


@require_GET
@endpoint
def service_definition(request, service_code: str, *, fmt: str):
    commune = jurisdiction(request)
    category = Category.objects.filter(commune=commune, code=service_code, is_active=True).first() if commune else None
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": service_code})
    return render(
        fmt,
        "service_definition",
        {"service_code": category.code, "attributes": [_attribute(q) for q in category.questions.all()]},
    )


# Requests -----------------------------------------------------------------------------------------


# The columns a request is written from: one query of plain rows, no model instances, so that a list
# of 1,000 costs little more than the rows themselves.
REQUEST_COLUMNS = (
    "pk", "number", "status", "status_notes", "description", "unit", "created_at", "updated_at", "closed_at",
    "deadline", "latitude", "longitude", "media_url", "category__name", "category__code",
    "category__deadline_amount", "category__deadline_unit", "village__name", "village__code",
)  # fmt: skip


class Writer:
    """Writes request rows of one commune; what every row shares (translated labels, the address's
    commune and province, units, notices) is looked up once per response, not once per row."""

    def __init__(self, commune: Commune):
        self.units = units.labels(commune)
        self.statuses = {value: str(label) for value, label in Status.choices}
        self.suffix = f"{commune.name}, {commune.province.full_name}"
        self.deadline_units = {value: str(label) for value, label in Category.DeadlineUnit.choices}
        self.notices: dict[tuple, str] = {}

    def notice(self, amount: int, unit: str) -> str:
        key = (amount, unit)
        if key not in self.notices:
            self.notices[key] = _("To be handled within %(deadline)s.") % {
                "deadline": f"{amount} {self.deadline_units.get(unit, unit)}"
            }
        return self.notices[key]

    def write(self, rows: list[tuple]) -> list[dict]:
        return [self.request(row) for row in rows]

    def request(self, row: tuple) -> dict:
        (_pk, number, status, notes, description, unit, created, updated, closed, deadline, lat, long, media_url,
         service_name, service_code, amount, deadline_unit, village, village_code, photo) = row  # fmt: skip
        is_open = status in OPEN_STATUSES
        return {
            "service_request_id": number,
            "status": "open" if is_open else "closed",
            "status_notes": notes or (None if is_open else self.statuses.get(status)),
            "service_name": service_name,
            "service_code": service_code,
            "description": description or None,
            "agency_responsible": self.units.get(unit) or units.label(unit),
            "service_notice": self.notice(amount, deadline_unit),
            "requested_datetime": _w3c(created),
            "updated_datetime": _w3c(updated if is_open else closed or updated),
            "expected_datetime": _w3c(deadline),
            "address": f"{village}, {self.suffix}" if village else self.suffix,
            "address_id": village_code,
            "zipcode": None,
            # Snapped to about 100 m, as geo.public_point does.
            "lat": None if lat is None or long is None else round(lat, geo.PUBLIC_DECIMALS),
            "long": None if lat is None or long is None else round(long, geo.PUBLIC_DECIMALS),
            "media_url": _absolute(default_storage.url(photo)) if photo else media_url or None,
        }


def _absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def request_rows(reports) -> list[tuple]:
    """Requests as plain rows (selectors.plain_rows), with the first photo found by a correlated subquery:
    one index probe per row inside the database, not a second query with a thousand parameters."""
    first_photo = ReportPhoto.objects.filter(report=OuterRef("pk")).order_by("pk").values("image")[:1]
    return selectors.plain_rows(
        reports.annotate(first_photo=Subquery(first_photo)).values_list(*REQUEST_COLUMNS, "first_photo")
    )


def _when(value: str, name: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    moment = parse_datetime(OFFSET_AS_SPACE.sub(r"\1+\2", value))
    if moment is None:
        day = parse_date(value)
        moment = datetime(day.year, day.month, day.day) if day else None
    if moment is None:
        raise Open311Error(
            400, _("%(name)s is not a W3C date and time, e.g. 2025-06-01T00:00:00+07:00.") % {"name": name}
        )
    return timezone.make_aware(moment, working_time.TZ) if timezone.is_naive(moment) else moment


def _window(arguments) -> tuple[datetime, datetime]:
    """start_date/end_date as the standard reads them: at most 90 days, the last 90 days by default."""
    start, end = _when(arguments.get("start_date"), "start_date"), _when(arguments.get("end_date"), "end_date")
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    if start > end:
        raise Open311Error(400, _("start_date is after end_date."))
    if end - start > MAX_SPAN:
        raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
    return start, end


def _commas(value: str) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def requests_query(commune: Commune, arguments) -> list[tuple]:
    """The public reports a GET requests call asks for (as rows), newest first, at most 1000."""
    reports = Report.objects.public().filter(commune=commune)
    ids = _commas(arguments.get("service_request_id", ""))
    if ids:  # overrides every other argument
        reports = reports.filter(number__in=ids[:MAX_REQUESTS])
    else:
        start, end = _window(arguments)
        reports = reports.filter(created_at__range=(start, end))
        codes = _commas(arguments.get("service_code", ""))
        if codes:
            reports = reports.filter(category__code__in=codes)
        statuses = set(_commas(arguments.get("status", "")))
        if statuses - {"open", "closed"}:
            raise Open311Error(400, _("status may only be open or closed."))
        if statuses == {"open"}:
            reports = reports.filter(status__in=OPEN_STATUSES)
        elif statuses == {"closed"}:
            reports = reports.exclude(status__in=OPEN_STATUSES)
    return request_rows(reports.order_by("-created_at", "-pk")[:MAX_REQUESTS])


@csrf_exempt  # clients authenticate with api_key, not a browser session
@require_http_methods(["GET", "POST"])
@endpoint
def requests(request, *, fmt: str):
    if request.method == "POST":
        return _create(request, fmt)
    commune = jurisdiction(request)
    if commune is None:
        return render(fmt, "service_requests", [])
    rows = requests_query(commune, request.GET)
    return render(fmt, "service_requests", Writer(commune).write(rows))


@require_GET
@endpoint
def request_detail(request, service_request_id: str, *, fmt: str):
    commune = jurisdiction(request)
    rows = request_rows(Report.objects.public().filter(commune=commune, number=service_request_id)) if commune else []
    if not rows:
        raise Open311Error(404, _("service_request_id %(id)s was not found.") % {"id": service_request_id})
    return render(fmt, "service_requests", Writer(commune).write(rows))


@require_GET
@endpoint
def token_detail(request, token: str, *, fmt: str):
    raise Open311Error(
        404, _("Token %(token)s was not found: this endpoint answers at once, without tokens.") % {"token": token}
    )


def _attributes(arguments) -> dict[str, list[str]]:
    raw: dict[str, list[str]] = {}
    for key in arguments:
        match = ATTRIBUTE_KEY.match(key)
        if match:
            raw.setdefault(match.group(1), []).extend(arguments.getlist(key))
    return raw


def _create(request, fmt: str) -> HttpResponse:
    arguments = request.POST
    commune = jurisdiction(request)
    api_key = services.api_key_authenticate(arguments.get("api_key", "") or request.GET.get("api_key", ""))
    if api_key is None:
        raise Open311Error(403, _("Invalid api_key received: ask the commune for a key."))
    if commune is None:
        raise Open311Error(404, _("No commune receives reports here yet."))
    services.require_same_commune(api_key, commune)
    if not ratelimit.hit("open311-post", str(api_key.pk), limit=api_key.hourly_limit, window=3600):
        return errors(fmt, 429, [(429, _("Too many reports from this client in the last hour: try again later."))])
    code = arguments.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    category = Category.objects.filter(commune=commune, code=code, is_active=True).first()
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code})
    village = None
    address_id = arguments.get("address_id", "").strip()
    if address_id:
        village = Village.objects.in_commune(commune).filter(code=address_id).first()
        if village is None:
            raise Open311Error(400, _("address_id %(id)s is not a village code of this commune.") % {"id": address_id})
    name = " ".join(part.strip() for part in (arguments.get("first_name", ""), arguments.get("last_name", "")) if part)
    try:
        report = services.report_submit(
            commune=commune,
            category=category,
            description=arguments.get("description", ""),
            latitude=arguments.get("lat") or None,
            longitude=arguments.get("long") or None,
            village=village,
            place_text=arguments.get("address_string", ""),
            raw_answers=_attributes(arguments),
            reporter_name=name,
            reporter_phone=arguments.get("phone", ""),
            reporter_email=arguments.get("email", ""),
            source=Report.Source.OPEN311,
            api_key=api_key,
            media_url=arguments.get("media_url", ""),
            require_description=False,
        )
    except ValidationError as error:
        items = []
        for field, messages in error.message_dict.items():
            argument = f"attribute[{field[2:]}]" if field.startswith("q_") else ARGUMENTS.get(field, field)
            items += [(400, f"{argument}: {message}") for message in messages]
        return errors(fmt, 400, items)
    notice = _("Report %(number)s was received; it is to be handled within %(deadline)s.") % {
        "number": report.number,
        "deadline": category.deadline_text,
    }
    if not report.is_public:
        notice += " " + _("Reports of this category are not public.")
    return render(
        fmt,
        "service_requests",
        [{"service_request_id": report.number, "service_notice": notice, "account_id": None}],
    )


# FixMyStreet's updates ----------------------------------------------------------------------------


@require_GET
@endpoint
def request_updates(request, *, fmt: str):
    commune = jurisdiction(request)
    if commune is None:
        return render(fmt, "service_requests_updates", [])
    start, end = _window(request.GET)
    updates = (
        ReportUpdate.objects.filter(
            report__commune=commune,
            report__is_public=True,
            is_public=True,
            created_at__range=(start, end),
        )
        .exclude(kind=ReportUpdate.Kind.CREATED)
        .select_related("report")
        .order_by("created_at", "pk")[:MAX_REQUESTS]
    )
    items = []
    for update in updates:
        photo = update.photo.url if update.photo else None
        items.append(
            {
                "update_id": str(update.pk),
                "service_request_id": update.report.number,
                "status": UPDATE_STATUS.get(update.status, "open"),
                "updated_datetime": _w3c(update.created_at),
                "description": update.note,
                "media_url": _absolute(photo) if photo else None,
                "external_status_code": update.status,
            }
        )
    return render(fmt, "service_requests_updates", items)
