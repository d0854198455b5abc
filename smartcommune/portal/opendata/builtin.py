"""The datasets the portal publishes for every commune, each read through the owning part's selectors
(the same figures the dashboard shows). Registered in PortalConfig.ready()."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcommune.criteria import evaluation
from smartcommune.farming import maps as farm_maps
from smartcommune.farming.models import GrowingArea
from smartcommune.market import selectors as market_selectors
from smartcommune.places.models import Village
from smartcommune.registry import selectors as registry_selectors
from smartcommune.trace import selectors as trace_selectors
from smartcommune.trace.models import Product

from .. import dashboard
from .registry import Column, Dataset, register

STATUS_TEXT = {evaluation.MET: "dat", evaluation.UNMET: "chua_dat", evaluation.MISSING: "chua_du_so_lieu"}


def village_rows(commune) -> list[dict]:
    years = registry_selectors.household_years(commune)
    year = years[0] if years else None
    totals = registry_selectors.household_aggregates(year=year, commune_ids=[commune.pk], measures={}) if year else {}
    rows = []
    for village in Village.objects.in_commune(commune).active().order_by("code"):
        rows.append(
            {
                "code": village.code,
                "name": village.name,
                "households": totals.get((commune.pk, village.pk), {}).get("households", 0) if year else None,
                "year": year,
            }
        )
    return rows


def criteria_rows(commune) -> list[dict]:
    status = dashboard.criteria_status(commune)
    if status is None:
        return []
    rows = []
    for criterion in status.result.criteria:
        for result in criterion.indicators:
            threshold = result.threshold
            base = {
                "criteria_set": status.result.criteria_set.code,
                "year": status.year,
                "criterion": criterion.criterion.number,
                "criterion_name": criterion.criterion.name,
                "indicator": result.indicator.code,
                "indicator_name": result.indicator.name,
                "unit": result.indicator.unit,
                "threshold": f"{threshold.comparator} {threshold.value.normalize():f}" if threshold else "",
            }
            value = result.figure.value
            rows.append(
                base
                | {
                    "village": "",
                    "value": (int(value) if isinstance(value, bool) else value),
                    "status": STATUS_TEXT[result.status],
                }
            )
            for v in result.villages:
                vvalue = v.figure.value
                rows.append(
                    base
                    | {
                        "village": v.village.name,
                        "value": (int(vvalue) if isinstance(vvalue, bool) else vvalue),
                        "status": STATUS_TEXT[v.status],
                    }
                )
    return rows


def satisfaction_rows(commune) -> list[dict]:
    rows = []
    for summary in dashboard.published_summaries(commune):
        for group in summary["groups"]:
            common = {
                "campaign": summary["title"],
                "closes_on": summary["closes_on"],
                "group": group["name"],
                "villages": group["villages"],
                "households": group["households"],
                "responses": group["responses"],
                "coverage_pct": group["coverage"],
            }
            rows.append(common | {"question": "overall", "satisfied_pct": group["overall"]})
            for name, rate in group["items"].items():
                rows.append(common | {"question": name, "satisfied_pct": rate})
    return rows


def report_rows(commune) -> list[dict]:
    stats = dashboard.report_statistics(commune)
    rows = []
    for dimension, items in (("total", [stats.total]), ("category", stats.by_category), ("village", stats.by_village)):
        for row in items:
            rows.append(
                {
                    "dimension": dimension,
                    "name": row.name if dimension != "total" else "",
                    "since": stats.since.date() if stats.since else None,
                    "received": row.count,
                    "handled": row.handled,
                    "on_time": row.on_time,
                    "on_time_pct": row.on_time_pct,
                    "average_days": row.average_days,
                    "rated": row.rated,
                    "satisfied_pct": row.satisfied_pct,
                }
            )
    return rows


def growing_areas(commune) -> dict:
    return farm_maps.area_features(GrowingArea.objects.in_commune(commune), staff=False)


def ocop_rows(commune) -> list[dict]:
    rows = []
    for product in trace_selectors.product_list(Product.objects.in_commune(commune)):
        ratings = sorted(product.ocop_ratings.all(), key=lambda r: r.decision_date)
        for rating in ratings:
            rows.append(
                {
                    "product": product.name,
                    "brand": product.brand,
                    "gtin": product.gtin,
                    "producer": product.owner.name,
                    "stars": rating.stars,
                    "total_score": rating.total,
                    "decision_number": rating.decision_number,
                    "decision_date": rating.decision_date,
                    "valid_until": rating.valid_until,
                    "status": rating.status,
                }
            )
        if not ratings:
            rows.append({"product": product.name, "brand": product.brand, "gtin": product.gtin,
                         "producer": product.owner.name, "status": "none"})  # fmt: skip
    return rows


def target_rows(commune) -> list[dict]:
    programme = dashboard.programme(commune)
    if programme is None:
        return []
    rows = []
    for view in programme.objectives:
        for reading in view.readings:
            target = reading.target
            rows.append(
                {
                    "plan": programme.plan.number,
                    "objective": view.objective.number,
                    "code": target.code,
                    "name": target.name,
                    "unit": target.unit,
                    "target": f"{target.comparator} {target.target_value.normalize():f}",
                    "deadline": target.deadline,
                    "value": reading.value,
                    "as_of": reading.as_of,
                    "met": reading.met,
                    "computed": reading.computed,
                }
            )
    return rows


def task_rows(commune) -> list[dict]:
    programme = dashboard.programme(commune)
    if programme is None:
        return []
    on = timezone.localdate()
    return [
        {
            "objective": view.objective.number,
            "objective_title": view.objective.title,
            "tasks": sum(n for k, n in view.tasks.items() if k not in ("overdue", "cancelled")),
            "done": view.tasks.get("done", 0),
            "in_progress": view.tasks.get("in_progress", 0),
            "not_started": view.tasks.get("not_started", 0),
            "overdue": view.tasks.get("overdue", 0),
            "as_of": on,
        }
        for view in programme.objectives
    ]


def budget_rows(commune) -> list[dict]:
    on = timezone.localdate()
    year = dashboard.budget_year(commune, on)
    summary = dashboard.budget(commune, year, on)
    return [
        {
            "year": year,
            "source_code": row.code,
            "source": row.label,
            "level": row.level,
            "planned": row.amounts.planned,
            "allocated": row.amounts.allocated,
            "disbursed": row.amounts.disbursed,
            "disbursed_pct": row.amounts.rate,
        }
        for row in summary.by_source
    ]


MARKET_KEYS = ("product", "brand", "pack", "price_vnd", "packs_left", "category", "producer", "producer_code",
               "ocop_stars", "lot", "trace_url", "url")  # fmt: skip


def market_rows(commune) -> list[dict]:
    return [{key: row[key] for key in MARKET_KEYS} for row in market_selectors.public_products(commune)]


def register_builtin() -> None:
    register(Dataset(
        slug="thon", order=10, rows=village_rows,
        title=_("Villages"),
        description=_("The commune's villages with their official codes and the number of households in the registry."),
        keywords=("thôn", "hộ gia đình"), source=_("administrative units and household registry"),
        columns=[
            Column("code", "string", _("Village code")),
            Column("name", "string", _("Village name")),
            Column("households", "integer", _("Households in the registry"), _("households")),
            Column("year", "integer", _("Year of the household figures")),
        ],
    ))  # fmt: skip
    register(Dataset(
        slug="gia-tri-tieu-chi", order=20, rows=criteria_rows,
        title=_("New Rural criteria values"),
        description=_("Every indicator of the criteria set in force, for the commune and for each village where it "
                      "is measured per village: value, threshold and whether it is met."),
        keywords=("nông thôn mới", "tiêu chí"), source=_("criteria"),
        columns=[
            Column("criteria_set", "string", _("Criteria set code")),
            Column("year", "integer", _("Year")),
            Column("criterion", "integer", _("Criterion number")),
            Column("criterion_name", "string", _("Criterion")),
            Column("indicator", "string", _("Indicator code")),
            Column("indicator_name", "string", _("Indicator")),
            Column("unit", "string", _("Unit of the value")),
            Column("threshold", "string", _("Threshold to reach (comparator and value)")),
            Column("village", "string", _("Village (empty: the whole commune)")),
            Column("value", "number", _("Value (1/0 for met/not met indicators)")),
            Column("status", "string", _("dat = met, chua_dat = not met, chua_du_so_lieu = not enough data")),
        ],
    ))  # fmt: skip
    register(Dataset(
        slug="ket-qua-hai-long", order=30, rows=satisfaction_rows,
        title=_("Residents' satisfaction results"),
        description=_("Published results of satisfaction surveys by village; villages with too few answers are "
                      "merged into \"other villages\" and their rates left out."),
        keywords=("khảo sát", "sự hài lòng"), source=_("surveys"),
        columns=[
            Column("campaign", "string", _("Survey")),
            Column("closes_on", "date", _("Closing date")),
            Column("group", "string", _("Village or merged group")),
            Column("villages", "integer", _("Villages in the group")),
            Column("households", "integer", _("Households"), _("households")),
            Column("responses", "integer", _("Answer forms"), _("forms")),
            Column("coverage_pct", "number", _("Households that answered"), "%"),
            Column("question", "string", _("Question code (overall: the overall question)")),
            Column("satisfied_pct", "number", _("Satisfied answers (empty: too few answers)"), "%"),
        ],
    ))  # fmt: skip
    register(Dataset(
        slug="thong-ke-phan-anh", order=40, rows=report_rows,
        title=_("Community report statistics"),
        description=_("Reports received over the last twelve months, in total, by category and by village: "
                      "handled, on time, average handling time and reporters' satisfaction."),
        keywords=("phản ánh", "kiến nghị"), source=_("community reports"),
        columns=[
            Column("dimension", "string", _("total, category or village")),
            Column("name", "string", _("Category or village")),
            Column("since", "date", _("Start of the period")),
            Column("received", "integer", _("Reports received"), _("reports")),
            Column("handled", "integer", _("Reports handled"), _("reports")),
            Column("on_time", "integer", _("Handled by the deadline"), _("reports")),
            Column("on_time_pct", "number", _("Handled on time"), "%"),
            Column("average_days", "number", _("Average handling time"), _("days")),
            Column("rated", "integer", _("Reports rated by the reporter"), _("reports")),
            Column("satisfied_pct", "number", _("Reporters satisfied"), "%"),
        ],
    ))  # fmt: skip
    register(Dataset(
        slug="vung-trong", order=50, geojson=growing_areas,
        title=_("Growing areas"),
        description=_("Growing areas with their codes, crops, standards and plots as polygons (WGS 84)."),
        keywords=("vùng trồng", "bản đồ"), source=_("farming"),
        columns=[
            Column("code", "string", _("Growing-area code")),
            Column("name", "string", _("Growing-area name")),
            Column("plot", "string", _("Plot")),
            Column("crop", "string", _("Crop")),
            Column("variety", "string", _("Variety")),
            Column("standard", "string", _("Production standard")),
            Column("status", "string", _("Status")),
            Column("cooperative", "string", _("Cooperative")),
            Column("area_ha", "number", _("Plot area"), "ha"),
        ],
    ))  # fmt: skip
    register(Dataset(
        slug="san-pham-ocop", order=60, rows=ocop_rows,
        title=_("OCOP products and ratings"),
        description=_("The commune's products with their OCOP ratings: stars, score, decision and validity."),
        keywords=("OCOP", "sản phẩm"), source=_("traceability"),
        columns=[
            Column("product", "string", _("Product")),
            Column("brand", "string", _("Brand")),
            Column("gtin", "string", _("GTIN")),
            Column("producer", "string", _("Producer (organisation)")),
            Column("stars", "integer", _("OCOP stars"), _("stars")),
            Column("total_score", "number", _("Total score"), _("points")),
            Column("decision_number", "string", _("Recognition decision")),
            Column("decision_date", "date", _("Decision date")),
            Column("valid_until", "date", _("Valid until")),
            Column("status", "string", _("Rating status (none: not rated)")),
        ],
    ))  # fmt: skip
    register(Dataset(
        slug="chi-tieu-ke-hoach", order=70, rows=target_rows,
        title=_("Plan targets"),
        description=_("The targets of the commune's digital transformation plan with their current values."),
        keywords=("kế hoạch", "chỉ tiêu"), source=_("programme"),
        columns=[
            Column("plan", "string", _("Plan number")),
            Column("objective", "integer", _("Objective number")),
            Column("code", "string", _("Target code")),
            Column("name", "string", _("Target")),
            Column("unit", "string", _("Unit")),
            Column("target", "string", _("Target to reach")),
            Column("deadline", "date", _("Deadline")),
            Column("value", "number", _("Current value")),
            Column("as_of", "date", _("Date the value describes")),
            Column("met", "boolean", _("Target reached")),
            Column("computed", "boolean", _("Computed from the platform's data")),
        ],
    ))  # fmt: skip
    register(Dataset(
        slug="tien-do-nhiem-vu", order=80, rows=task_rows,
        title=_("Plan task progress"),
        description=_("The plan's tasks by objective: how many are done, in progress, not started and overdue."),
        keywords=("nhiệm vụ", "tiến độ"), source=_("programme"),
        columns=[
            Column("objective", "integer", _("Objective number")),
            Column("objective_title", "string", _("Objective")),
            Column("tasks", "integer", _("Tasks (cancelled left out)"), _("tasks")),
            Column("done", "integer", _("Done"), _("tasks")),
            Column("in_progress", "integer", _("In progress"), _("tasks")),
            Column("not_started", "integer", _("Not started"), _("tasks")),
            Column("overdue", "integer", _("Overdue"), _("tasks")),
            Column("as_of", "date", _("Date of the figures")),
        ],
    ))  # fmt: skip
    register(Dataset(
        slug="ngan-sach", order=90, rows=budget_rows,
        title=_("Budget by funding source"),
        description=_("The programme's budget for the year: planned, allocated and disbursed by funding source."),
        keywords=("ngân sách", "giải ngân"), source=_("programme"),
        columns=[
            Column("year", "integer", _("Budget year")),
            Column("source_code", "string", _("Funding source code")),
            Column("source", "string", _("Funding source")),
            Column("level", "integer", _("0: group of sources, 1: source within the group")),
            Column("planned", "integer", _("Planned"), "VND"),
            Column("allocated", "integer", _("Allocated"), "VND"),
            Column("disbursed", "integer", _("Disbursed"), "VND"),
            Column("disbursed_pct", "number", _("Disbursed of planned"), "%"),
        ],
    ))  # fmt: skip
    register(Dataset(
        slug="san-pham-tren-cho", order=65, rows=market_rows,
        title=_("Products on sale in the commune market"),
        description=_(
            "What the commune's cooperatives and OCOP producers sell online today: price, pack, stock, stars and "
            "the traceability page of the lot sold. The same list as the product feed for other marketplaces."
        ),
        keywords=("chợ", "sản phẩm", "OCOP", "thương mại điện tử"), source=_("commune market"),
        columns=[
            Column("product", "string", _("Product")),
            Column("brand", "string", _("Brand")),
            Column("pack", "string", _("Pack")),
            Column("price_vnd", "integer", _("Price of a pack"), "VND"),
            Column("packs_left", "integer", _("Packs left"), _("packs")),
            Column("category", "string", _("Category")),
            Column("producer", "string", _("Producer (organisation)")),
            Column("producer_code", "string", _("Producer code")),
            Column("ocop_stars", "integer", _("OCOP stars")),
            Column("lot", "string", _("Lot sold")),
            Column("trace_url", "string", _("Traceability page of the lot")),
            Column("url", "string", _("Page of the product in the market")),
        ],
    ))  # fmt: skip
