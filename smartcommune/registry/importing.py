"""File import and export of the registries, all-or-nothing and streamed.

One `Spec` per kind of file (villages, households, organisations) says which columns it has, how a
parsed row is checked against the commune, and how a batch of good rows is written. `import_rows`
reads the file once: while every row is good it writes in batches inside one transaction; at the
first bad row it stops writing but goes on checking, so that the person sees every bad row at
once, and the transaction is rolled back. A process killed half-way leaves nothing either.
Nothing kept per row grows with the file: even the keys that find a row repeating an earlier one
wait in a temporary table of the transaction (`_FirstRows`), not in memory.

The same specs serve the API's bulk upsert (rows as dicts instead of a file) and the exports, whose
files the import takes back unchanged.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcommune.core import bulk, crypto, identifiers, tabular
from smartcommune.core.tabular import Column, RowError, ValidRow, bounded, format_choice, parse_choice
from smartcommune.core.text import fold
from smartcommune.places.models import Commune, Village

from . import rules
from .models import Household, HouseholdYear, Housing, Organisation, Poverty

BATCH = 2000
Progress = Callable[[float, int], None]


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _identifier(normalize: Callable[[str], str]) -> Callable[[Any], str]:
    # Spreadsheets store long digit strings as numbers; identifiers are read back as their digits.
    return lambda value: normalize(value if isinstance(value, str) else str(int(value)))


COUNT = bounded(tabular.parse_int, min_value=0, max_value=100)
YEAR = bounded(tabular.parse_int, min_value=2000, max_value=2100)

# Vietnamese labels in files are fixed, whatever the interface language, so files stay exchangeable.
POVERTY_LABELS = {Poverty.POOR: "nghèo", Poverty.NEAR_POOR: "cận nghèo", Poverty.NONE: "không"}
HOUSING_LABELS = {Housing.SOLID: "kiên cố", Housing.SEMI_SOLID: "bán kiên cố", Housing.TEMPORARY: "nhà tạm"}
VILLAGE_KIND_LABELS = {Village.Kind.THON: "thôn", Village.Kind.TO_DAN_PHO: "tổ dân phố"}
ORG_KIND_LABELS = {
    Organisation.Kind.COOPERATIVE: "hợp tác xã",
    Organisation.Kind.COOPERATIVE_GROUP: "tổ hợp tác",
    Organisation.Kind.ENTERPRISE: "doanh nghiệp",
    Organisation.Kind.HOUSEHOLD_BUSINESS: "hộ kinh doanh",
    Organisation.Kind.SERVICE_PROVIDER: "đơn vị dịch vụ",
}
ORG_STATUS_LABELS = {
    Organisation.Status.ACTIVE: "hoạt động",
    Organisation.Status.SUSPENDED: "tạm ngừng",
    Organisation.Status.DISSOLVED: "giải thể",
}


def _labelled(labels: dict) -> tuple[Callable, Callable]:
    parse = parse_choice({label: value for value, label in labels.items()} | {str(v): v for v in labels})
    return parse, format_choice(labels)


def _text(n: int) -> Callable[[Any], str]:
    return tabular.parse_text(n)


_poverty, _poverty_fmt = _labelled(POVERTY_LABELS)
_housing, _housing_fmt = _labelled(HOUSING_LABELS)
_village_kind, _village_kind_fmt = _labelled(VILLAGE_KIND_LABELS)
_org_kind, _org_kind_fmt = _labelled(ORG_KIND_LABELS)
_org_status, _org_status_fmt = _labelled(ORG_STATUS_LABELS)


@dataclass
class Spec:
    """What one kind of file holds and how its rows reach the database."""

    kind: str
    columns: list[Column]
    prepare: Callable[[Commune], dict]  # context read once: existing codes, villages…
    check: Callable[[ValidRow, dict], list[RowError]]  # cross-field and commune checks; may add to row
    write: Callable[[list[dict], dict], tuple[int, int]]  # -> (created, updated)
    export: Callable[[Commune, dict], Iterator[dict]]
    key: Callable[[dict], str]  # what two rows of one file may not share, read after `check`
    repeated: str  # the reason given for a row with the key of an earlier row, "%(row)s" being that row

    def header(self, key: str) -> str:
        return next(c.header for c in self.columns if c.key == key)


def _error(spec: Spec, row: ValidRow, key: str, reason: str) -> RowError:
    value = row.values.get(key)
    return RowError(row.row, spec.header(key), "" if value is None else tabular.cell_text(value), reason)


# Villages ---------------------------------------------------------------------------------------

VILLAGE_COLUMNS = [
    Column("code", "Mã thôn", _text(20), required=True, example="T01"),
    Column("name", "Tên thôn", _text(100), required=True, example="Thôn Đông Lớn"),
    Column("kind", "Loại", _village_kind, example="thôn", format=_village_kind_fmt, help="thôn hoặc tổ dân phố"),
]


def _village_prepare(commune: Commune) -> dict:
    return {"commune": commune, "existing": {v.code: v for v in Village.objects.in_commune(commune)}}


def _village_check(row: ValidRow, ctx: dict) -> list[RowError]:
    row.values["code"] = row.values["code"].upper()
    return []


def _village_write(rows: list[dict], ctx: dict) -> tuple[int, int]:
    created = updated = 0
    for values in rows:
        village = ctx["existing"].get(values["code"])
        kind = values.get("kind") or Village.Kind.THON
        if village is None:
            ctx["existing"][values["code"]] = Village.objects.create(
                commune=ctx["commune"], code=values["code"], name=values["name"], kind=kind
            )
            created += 1
        elif (village.name, village.kind) != (values["name"], kind):
            village.name, village.kind = values["name"], kind
            village.save()
            updated += 1
    return created, updated


def _village_export(commune: Commune, filters: dict) -> Iterator[dict]:
    for village in Village.objects.in_commune(commune).active().order_by("code"):
        yield {"code": village.code, "name": village.name, "kind": village.kind}


SAME_CODE = gettext_lazy("The same code is already on row %(row)s.")
VILLAGES = Spec(
    "villages",
    VILLAGE_COLUMNS,
    _village_prepare,
    _village_check,
    _village_write,
    _village_export,
    key=itemgetter("code"),
    repeated=SAME_CODE,
)


# Households -------------------------------------------------------------------------------------

HOUSEHOLD_FIELDS = ["village_id", "address", "head_name", "head_id_number", "head_id_digest", "phone", "search_key"]
YEAR_FIELDS = [
    "members",
    "poverty",
    "housing",
    "safe_electricity",
    "clean_water",
    "hygienic_latrine",
    "insured_members",
    "working_age_members",
    "employed_members",
    "trained_workers",
    "certified_workers",
    "income",
    "smartphone",
    "broadband",
    "e_payment",
    "digital_address",
]
HOUSEHOLD_COLUMNS = [
    Column("code", "Mã hộ", _text(30), required=True, example="VG-SV01-0001"),
    Column("village", "Mã thôn", _text(20), required=True, example="SV01"),
    Column("address", "Địa chỉ", _text(200), example="Số 12, đường Lê Lợi"),
    Column("head_name", "Họ tên chủ hộ", _text(150), required=True, example="Nguyễn Văn Mẫu"),
    Column("head_id_number", "Số định danh chủ hộ", _identifier(identifiers.normalize_cccd), example="051090123456"),
    Column("phone", "Số điện thoại", _identifier(identifiers.normalize_phone), example="0912345678"),
    Column("year", "Năm", YEAR, required=True, example="2025"),
    Column(
        "members", "Số nhân khẩu", bounded(tabular.parse_int, min_value=1, max_value=100), required=True, example="4"
    ),
    Column("poverty", "Hộ nghèo", _poverty, example="không", format=_poverty_fmt, help="nghèo, cận nghèo hoặc không"),
    Column(
        "housing", "Nhà ở", _housing, example="kiên cố", format=_housing_fmt, help="kiên cố, bán kiên cố hoặc nhà tạm"
    ),
    Column("safe_electricity", "Điện an toàn", tabular.parse_bool, example="có"),
    Column("clean_water", "Nước sạch", tabular.parse_bool, example="có"),
    Column("hygienic_latrine", "Nhà tiêu hợp vệ sinh", tabular.parse_bool, example="có"),
    Column("insured_members", "Số người có BHYT", COUNT, example="4"),
    Column("working_age_members", "Số người trong độ tuổi lao động", COUNT, example="2"),
    Column("employed_members", "Số người có việc làm", COUNT, example="2"),
    Column("trained_workers", "Số lao động qua đào tạo", COUNT, example="1"),
    Column("certified_workers", "Số lao động có bằng cấp chứng chỉ", COUNT, example="1"),
    Column(
        "income",
        "Thu nhập năm (đồng)",
        bounded(tabular.parse_int, min_value=0, max_value=10**12),
        example="180.000.000",
    ),
    Column("smartphone", "Có điện thoại thông minh", tabular.parse_bool, example="có"),
    Column("broadband", "Có Internet cáp quang", tabular.parse_bool, example="có"),
    Column("e_payment", "Có tài khoản thanh toán điện tử", tabular.parse_bool, example="có"),
    Column("digital_address", "Địa chỉ số", _text(40), example=""),
]


def _household_prepare(commune: Commune) -> dict:
    return {
        "commune": commune,
        "villages": dict(Village.objects.in_commune(commune).active().values_list("code", "id")),
    }


def _household_check(row: ValidRow, ctx: dict) -> list[RowError]:
    v, errors = row.values, []
    village_id = ctx["villages"].get((v["village"] or "").upper())
    if village_id is None:
        errors.append(_error(HOUSEHOLDS, row, "village", _("No active village of this commune has this code.")))
    v["village_id"] = village_id
    for key, message in rules.year_problems(v):
        errors.append(_error(HOUSEHOLDS, row, key, str(message)))
    return errors


def _household_write(rows: list[dict], ctx: dict) -> tuple[int, int]:
    commune = ctx["commune"]
    now = bulk.stamp(timezone.now())
    households = {}
    for v in rows:  # the last row of a household in the batch gives its household-level fields
        cccd, address = v.get("head_id_number") or "", v.get("address") or ""
        households[v["code"]] = (
            commune.pk,
            v["code"],
            v["village_id"],
            address,
            v["head_name"],
            crypto.encrypt(cccd) if cccd else "",
            crypto.digest(cccd) if cccd else "",
            v.get("phone") or "",
            Household.make_search_key(v["code"], v["head_name"], address),
            True,
            now,
            now,
        )
    written = bulk.upsert(
        Household,
        ["commune_id", "code", *HOUSEHOLD_FIELDS, "is_active", "created_at", "updated_at"],
        households.values(),
        unique=["commune_id", "code"],
        update=[*HOUSEHOLD_FIELDS, "updated_at"],
        returning=["id", "code", "created_at = updated_at"],  # true for a household added just now
    )
    ids = {code: household_id for household_id, code, _new in written}
    added = [household_id for household_id, _code, new in written if new]
    kept = [household_id for household_id, _code, new in written if not new]
    existing_years = _years_of(kept)  # the file updates these; a household added just now has none
    year_ids = bulk.upsert(
        HouseholdYear,
        ["household_id", "year", *YEAR_FIELDS, "updated_at"],
        ((ids[v["code"]], v["year"], *map(v.get, YEAR_FIELDS[:-1]), v.get("digital_address") or "", now) for v in rows),
        unique=["household_id", "year"],
        update=[*YEAR_FIELDS, "updated_at"],
        returning=["id"],
    )
    _record_history(Household, ctx, added, "+")
    _record_history(Household, ctx, kept, "~")
    _record_history(HouseholdYear, ctx, [year_id for (year_id,) in year_ids], "~")
    created = sum(1 for v in rows if (ids[v["code"]], v["year"]) not in existing_years)
    return created, len(rows) - created


def _years_of(household_ids: list[int]) -> set[tuple[int, int]]:
    """(household id, year) of the yearly records these households already have."""
    if not household_ids:
        return set()
    marks = ", ".join(["%s"] * len(household_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT household_id, year FROM {HouseholdYear._meta.db_table} WHERE household_id IN ({marks})",
            household_ids,
        )
        return set(cursor.fetchall())


def _record_history(model, ctx: dict, ids: list[int], history_type: str) -> None:
    """History rows for the rows of `model` that this batch wrote (at most BATCH ids: one statement)."""
    if ids:
        bulk.history_snapshot(
            model,
            where=f"id IN ({', '.join(['%s'] * len(ids))})",
            params=ids,
            history_type=history_type,
            user_id=ctx.get("user_id"),
            reason=ctx.get("reason", ""),
        )


def household_export_rows(commune: Commune, filters: dict) -> Iterator[dict]:
    years = (
        HouseholdYear.objects.filter(household__commune=commune)
        .select_related("household__village")
        .order_by("household__village__code", "household__code", "year")
    )
    if filters.get("year"):
        years = years.filter(year=filters["year"])
    if filters.get("village"):
        years = years.filter(household__village=filters["village"])
    for y in years.iterator(chunk_size=2000):
        h = y.household
        yield {
            "code": h.code,
            "village": h.village.code,
            "address": h.address,
            "head_name": h.head_name,
            "head_id_number": h.head_id_number or None,
            "phone": h.phone or None,
            "year": y.year,
            **{f: getattr(y, f) for f in YEAR_FIELDS},
        }


HOUSEHOLDS = Spec(
    "households",
    HOUSEHOLD_COLUMNS,
    _household_prepare,
    _household_check,
    _household_write,
    household_export_rows,
    key=lambda values: f"{values['year']} {values['code']}",  # a year has no space: one key, one household-year
    repeated=gettext_lazy("This household and year are already on row %(row)s."),
)


# Organisations ----------------------------------------------------------------------------------

ORG_COLUMNS = [
    Column("code", "Mã tổ chức", _text(30), required=True, example="HTX-VG01"),
    Column("name", "Tên tổ chức", _text(200), required=True, example="Hợp tác xã Nông nghiệp Mẫu"),
    Column("kind", "Loại hình", _org_kind, required=True, example="hợp tác xã", format=_org_kind_fmt),
    Column("is_ocop_subject", "Chủ thể OCOP", tabular.parse_bool, example="có"),
    Column("tax_code", "Mã số thuế", _identifier(identifiers.normalize_tax_code), example="0100233488"),
    Column("representative", "Người đại diện", _text(150), example="Trần Thị Mẫu"),
    Column("address", "Địa chỉ", _text(200), example="Thôn Mẫu Nghĩa Hiệp 1"),
    Column("village", "Mã thôn", _text(20), example="NH01"),
    Column("phone", "Số điện thoại", _identifier(identifiers.normalize_phone), example="0905123456"),
    Column("email", "Thư điện tử", _text(254), example=""),
    Column("founded_on", "Ngày thành lập", tabular.parse_date, example="15/03/2018"),
    Column("status", "Tình trạng", _org_status, example="hoạt động", format=_org_status_fmt),
    Column("bank_bin", "Mã ngân hàng (BIN)", _text(6), example="970405"),
    Column("bank_account", "Số tài khoản", _identifier(identifiers.normalize_bank_account), example="3600205123456"),
    Column("bank_account_name", "Tên tài khoản", _text(100), example="HTX NONG NGHIEP MAU"),
]
ORG_FIELDS = [
    "name",
    "kind",
    "is_ocop_subject",
    "tax_code",
    "representative",
    "address",
    "village_id",
    "phone",
    "email",
    "founded_on",
    "status",
    "bank_bin",
    "bank_account",
    "bank_account_name",
]


def _org_prepare(commune: Commune) -> dict:
    return {
        "commune": commune,
        "villages": dict(Village.objects.in_commune(commune).active().values_list("code", "id")),
        "existing": set(Organisation.objects.in_commune(commune).values_list("code", flat=True)),
    }


def _org_check(row: ValidRow, ctx: dict) -> list[RowError]:
    v, errors = row.values, []
    v["code"] = v["code"].upper()
    v["village_id"] = None
    if v.get("village"):
        v["village_id"] = ctx["villages"].get(v["village"].upper())
        if v["village_id"] is None:
            errors.append(_error(ORGANISATIONS, row, "village", _("No active village of this commune has this code.")))
    bank = [v.get("bank_bin"), v.get("bank_account"), v.get("bank_account_name")]
    if any(bank) and not all(bank):
        errors.append(
            _error(
                ORGANISATIONS,
                row,
                "bank_account",
                _("Give the bank, the account number and the account name together."),
            )
        )
    if v.get("bank_bin") and identifiers.bank_by_bin(v["bank_bin"]) is None:
        errors.append(_error(ORGANISATIONS, row, "bank_bin", _("Unknown bank code (BIN).")))
    if v.get("email"):
        try:
            validate_email(v["email"])
        except ValidationError:
            errors.append(_error(ORGANISATIONS, row, "email", _("Enter a valid e-mail address.")))
    return errors


def _org_write(rows: list[dict], ctx: dict) -> tuple[int, int]:
    objs = []
    for v in rows:
        values = {f: v.get(f) for f in ORG_FIELDS}
        for text_field in (
            "tax_code",
            "representative",
            "address",
            "phone",
            "email",
            "bank_bin",
            "bank_account",
            "bank_account_name",
        ):
            values[text_field] = values[text_field] or ""
        values["status"] = values["status"] or Organisation.Status.ACTIVE
        values["is_ocop_subject"] = bool(values["is_ocop_subject"])
        org = Organisation(commune=ctx["commune"], code=v["code"], **values)
        org.search_key = fold(f"{org.code} {org.name} {org.tax_code}")[:300]
        objs.append(org)
    Organisation.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["commune", "code"],
        update_fields=[*ORG_FIELDS, "search_key", "updated_at"],
    )
    created = sum(1 for o in objs if o.code not in ctx["existing"])
    ctx["existing"].update(o.code for o in objs)
    return created, len(objs) - created


def _org_export(commune: Commune, filters: dict) -> Iterator[dict]:
    for org in Organisation.objects.in_commune(commune).select_related("village").order_by("code"):
        row = {f: getattr(org, f) for f in ORG_FIELDS if f != "village_id"}
        row.update(code=org.code, village=org.village.code if org.village_id else None)
        yield {k: (val if val != "" else None) for k, val in row.items()}


ORGANISATIONS = Spec(
    "organisations",
    ORG_COLUMNS,
    _org_prepare,
    _org_check,
    _org_write,
    _org_export,
    key=itemgetter("code"),
    repeated=SAME_CODE,
)

SPECS = {spec.kind: spec for spec in (VILLAGES, HOUSEHOLDS, ORGANISATIONS)}
KIND_LABELS = {
    "villages": gettext_lazy("villages"),
    "households": gettext_lazy("households"),
    "organisations": gettext_lazy("organisations"),
}


# Running ----------------------------------------------------------------------------------------


def import_rows(
    *,
    spec: Spec,
    commune: Commune,
    rows: Iterable[ValidRow | RowError],
    progress: Callable[[int], None] | None = None,
    user_id: int | None = None,
    reason: str = "",
) -> ImportResult:
    """Check and write parsed rows, all or nothing. Call inside a transaction (import_file does).

    `user_id` and `reason` go into the change history of every record written."""
    ctx, result, batch = spec.prepare(commune), ImportResult(), []
    ctx.update(user_id=user_id, reason=reason[:100])
    with transaction.atomic():
        with _FirstRows() as first_rows:
            for item in rows:
                if isinstance(item, RowError):
                    result.errors.append(item)
                    continue
                result.rows += 1
                row_errors = spec.check(item, ctx)
                first_rows.add(spec.key(item.values), item.row, item.values["code"])
                if row_errors:
                    result.errors.extend(row_errors)
                elif not result.errors:
                    batch.append(item.values)
                if result.rows % BATCH == 0:
                    _flush(spec, batch, first_rows, ctx, result)
                    if progress:
                        progress(result.rows)
            _flush(spec, batch, first_rows, ctx, result)
        if result.errors:  # all or nothing, whoever calls: what earlier batches wrote goes too
            transaction.set_rollback(True)
    if result.errors:
        result.errors.sort(key=attrgetter("row"))  # a repeated row is found when its batch ends
        result.created = result.updated = 0
    return result


def _flush(spec: Spec, batch: list[dict], first_rows: "_FirstRows", ctx: dict, result: ImportResult) -> None:
    """Report the rows since the last flush that repeat an earlier one, then write the batch if all is well."""
    header = spec.header("code")
    for row, code, first in first_rows.repeats():
        result.errors.append(RowError(row, header, tabular.cell_text(code), spec.repeated % {"row": first}))
    if batch and not result.errors:
        created, updated = spec.write(batch, ctx)
        result.created += created
        result.updated += updated
    batch.clear()


class _FirstRows:
    """The row on which each key of a file first appears, to name the rows that repeat it.

    The keys go to a temporary table of the import's transaction rather than into a dict, so that
    memory does not grow with the length of the file: only the keys added since the last call of
    `repeats` (one batch) are held here. Use inside a transaction, as a context manager.
    """

    TABLE = "registry_import_first_rows"

    def __enter__(self) -> "_FirstRows":
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.TABLE} (key_text TEXT PRIMARY KEY, first_row INTEGER NOT NULL)"
            )
        self._pending: dict[str, tuple[int, Any]] = {}  # key -> (row, code) of its first row since the last call
        self._repeats: list[tuple[str, int, Any]] = []  # (key, row, code) of the other rows since the last call
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        if error_type is None:  # after an error, rolling back the transaction removes the table
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {self.TABLE}")

    def add(self, key: str, row: int, code: Any) -> None:
        if self._pending.setdefault(key, (row, code))[0] != row:
            self._repeats.append((key, row, code))

    def repeats(self) -> list[tuple[int, Any, int]]:
        """(row, code, first row) of every row added since the last call whose key came earlier."""
        pending, repeats = self._pending, self._repeats
        self._pending, self._repeats = {}, []
        earlier = {}  # key -> its first row, for the pending keys that came before the last call
        if pending:
            rows = ", ".join(["(%s, %s)"] * len(pending))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {self.TABLE} (key_text, first_row) VALUES {rows} ON CONFLICT DO NOTHING",
                    [value for key, (row, _code) in pending.items() for value in (key, row)],
                )
                if cursor.rowcount < len(pending):  # some keys were there already: since which rows?
                    marks = ", ".join(["%s"] * len(pending))
                    cursor.execute(
                        f"SELECT key_text, first_row FROM {self.TABLE} WHERE key_text IN ({marks})", [*pending]
                    )
                    earlier = {key: first for key, first in cursor.fetchall() if first != pending[key][0]}
        found = [(pending[key][0], pending[key][1], first) for key, first in earlier.items()]
        found += [(row, code, earlier.get(key, pending[key][0])) for key, row, code in repeats]
        return found


def import_file(
    *,
    kind: str,
    commune: Commune,
    fileobj: IO[bytes],
    progress: Progress | None = None,
    user_id: int | None = None,
    reason: str = "",
) -> ImportResult:
    """Import one file for a commune. Raises tabular.FileError when the file as a whole is unusable."""
    spec = SPECS[kind]
    with transaction.atomic():
        reader = tabular.open_rows(fileobj, spec.columns)
        report = (lambda n: progress(reader.progress, n)) if progress else None
        result = import_rows(
            spec=spec,
            commune=commune,
            rows=tabular.validate_rows(reader),
            progress=report,
            user_id=user_id,
            reason=reason,
        )
        if result.errors:
            transaction.set_rollback(True)
    if progress:
        progress(1.0, result.rows)
    return result


def export_file(*, kind: str, commune: Commune, fmt: str, out: IO, filters: dict | None = None) -> None:
    spec = SPECS[kind]
    rows = spec.export(commune, filters or {})
    if fmt == "xlsx":
        tabular.write_xlsx(spec.columns, rows, out)
    else:
        tabular.write_csv(spec.columns, rows, out)
