"""Writes on a commune's set-up for community reports: categories and their extra questions (from the
starting set in data/default_categories.yaml or by hand), holidays, the report area, Open311 keys."""

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcommune.accounts.models import User
from smartcommune.core import geo
from smartcommune.places.models import Commune

from .. import selectors, units
from ..models import ApiKey, Category, Holiday, Question, ReportArea


@transaction.atomic
def category_save(*, category: Category) -> Category:
    category.code = (category.code or "").strip().upper()
    if not units.is_valid(category.commune, category.unit, for_category=True):
        raise ValidationError({"unit": _("Choose a unit of this commune.")})
    clash = Category.objects.filter(commune=category.commune, code=category.code).exclude(pk=category.pk)
    if clash.exists():
        raise ValidationError({"code": _("Another category of this commune already has this code.")})
    category.full_clean()
    category.save()
    return category


def _parse_values(text: str) -> list[dict]:
    """Choices written one per line as "key: name" (or just the name, whose key is derived)."""
    from smartcommune.core.text import slugify_vi

    values, seen = [], set()
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        key, sep, name = line.partition(":")
        key, name = (key.strip(), name.strip()) if sep else (slugify_vi(line)[:30], line)
        if not key or not name:
            raise ValidationError({"values": _("Write each choice as “key: name”.")})
        if key in seen:
            raise ValidationError({"values": _("The key %(key)s appears twice.") % {"key": key}})
        seen.add(key)
        values.append({"key": key, "name": name})
    return values


@transaction.atomic
def question_save(*, question: Question, values_text: str | None = None) -> Question:
    question.code = (question.code or "").strip().upper()
    if values_text is not None:
        question.values = _parse_values(values_text)
    if question.datatype in Question.LIST_TYPES and not question.values:
        raise ValidationError({"values": _("A list question needs at least one choice.")})
    if question.datatype not in Question.LIST_TYPES:
        question.values = []
    siblings = Question.objects.filter(category=question.category).exclude(pk=question.pk)
    if siblings.filter(code=question.code).exists():
        raise ValidationError({"code": _("Another question of this category already has this code.")})
    if siblings.filter(order=question.order).exists():
        raise ValidationError({"order": _("Another question of this category already has this place in the order.")})
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def categories_load_defaults(*, commune: Commune) -> int:
    """Create the starting categories (data/default_categories.yaml) that the commune does not have yet."""
    entries = yaml.safe_load((selectors.DATA / "default_categories.yaml").read_text(encoding="utf-8"))
    created = 0
    for order, entry in enumerate(entries, start=1):
        if Category.objects.filter(commune=commune, code=entry["code"]).exists():
            continue
        amount, unit = entry["deadline"]
        category = category_save(
            category=Category(
                commune=commune,
                code=entry["code"],
                name=entry["name"],
                group=entry.get("group", ""),
                description=entry.get("description", ""),
                keywords=entry.get("keywords", ""),
                unit=entry["unit"],
                deadline_amount=amount,
                deadline_unit=unit,
                is_public=entry.get("public", True),
                order=order * 10,
            )
        )
        for position, q in enumerate(entry.get("questions", ()), start=1):
            question_save(
                question=Question(
                    category=category,
                    code=q["code"],
                    description=q["description"],
                    datatype=q["datatype"],
                    required=q.get("required", False),
                    order=position,
                    values=[{"key": k, "name": n} for k, n in q.get("values", ())],
                )
            )
        created += 1
    return created


@transaction.atomic
def holiday_add(*, commune: Commune, date, name: str) -> Holiday:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the holiday a name.")})
    if Holiday.objects.filter(commune=commune, date=date).exists():
        raise ValidationError({"date": _("This day is already a holiday.")})
    return Holiday.objects.create(commune=commune, date=date, name=name[:100])


@transaction.atomic
def area_save(*, area: ReportArea) -> ReportArea:
    if not geo.in_vietnam(area.latitude, area.longitude):
        raise ValidationError({"latitude": _("This position is outside Vietnam.")})
    area.full_clean()
    area.save()
    return area


def api_key_create(*, commune: Commune, name: str, contact: str = "", hourly_limit: int = 300, by: User):
    """A new Open311 key for one client; the clear key is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the client that will use the key.")})
    key = ApiKey.generate()
    api_key = ApiKey(
        commune=commune,
        name=name[:100],
        contact=(contact or "").strip()[:200],
        prefix=key[: ApiKey.PREFIX_LENGTH],
        key_hash=ApiKey.hash(key),
        hourly_limit=hourly_limit,
        created_by=by,
    )
    api_key.full_clean()
    api_key.save()
    return api_key, key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


def api_key_authenticate(key: str) -> ApiKey | None:
    """The active key with this value, or None; marks it used (at most once a minute)."""
    if not key:
        return None
    api_key = ApiKey.objects.active().select_related("commune").filter(key_hash=ApiKey.hash(key)).first()
    if api_key is None:
        return None
    now = timezone.now()
    if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return api_key


def require_same_commune(api_key: ApiKey, commune: Commune) -> None:
    if api_key.commune_id != commune.pk:
        raise PermissionDenied(_("This API key belongs to another commune."))
