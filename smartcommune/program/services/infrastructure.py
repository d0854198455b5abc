"""Writes on the digital infrastructure inventory and the smart-village checklist ticks."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcommune.accounts.models import User
from smartcommune.core import geo, identifiers
from smartcommune.places.models import Village

from .. import checklist, files
from ..models import Asset, ChecklistTick, Coverage, DigitalTeam, DigitalTeamMember, SocialChannel


def _village_problem(record) -> dict:
    if record.village_id and record.village.commune_id != record.commune_id:
        return {"village": _("The village does not belong to this commune.")}
    return {}


@transaction.atomic
def asset_save(*, asset: Asset) -> Asset:
    problems = _village_problem(asset)
    if asset.latitude is None or asset.longitude is None:
        problems["latitude"] = _("Give the location (latitude and longitude).")
    elif not geo.in_vietnam(asset.latitude, asset.longitude):
        problems["latitude"] = _("This point is not in Vietnam: check the latitude and the longitude (not swapped?).")
    if asset.installed_on and asset.installed_on > timezone.localdate():
        problems["installed_on"] = _("The date cannot be in the future.")
    if asset.kind != Asset.Kind.WIFI:
        asset.meets_standard = False  # QCVN 34:2022/BTTTT is a Wi-Fi standard
    if problems:
        raise ValidationError(problems)
    asset.save()
    return asset


@transaction.atomic
def coverage_record(
    *, village: Village, technology: str, households_covered: int, as_of: date, provider: str = ""
) -> Coverage:
    if technology not in Coverage.Technology.values:
        raise ValidationError({"technology": _("Choose fibre or 3G/4G.")})
    if households_covered is None or households_covered < 0:
        raise ValidationError({"households_covered": _("Enter a number of households, 0 or more.")})
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("The date cannot be in the future.")})
    record, _created = Coverage.objects.update_or_create(
        village=village,
        technology=technology,
        as_of=as_of,
        defaults={"households_covered": households_covered, "provider": provider.strip()},
    )
    return record


@transaction.atomic
def team_save(*, team: DigitalTeam) -> DigitalTeam:
    problems = _village_problem(team)
    if team.last_activity_on and team.last_activity_on < team.founded_on:
        problems["last_activity_on"] = _("The last activity cannot be before the team was founded.")
    if problems:
        raise ValidationError(problems)
    team.save()
    return team


@transaction.atomic
def member_add(*, team: DigitalTeam, full_name: str, position: str, phone: str = "") -> DigitalTeamMember:
    if not full_name.strip():
        raise ValidationError({"full_name": _("Enter the member's name.")})
    if position not in DigitalTeamMember.Position.values:
        raise ValidationError({"position": _("Choose a position.")})
    normalized = ""
    if phone.strip():
        try:
            normalized = identifiers.normalize_phone(phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from error
    return DigitalTeamMember.objects.create(team=team, full_name=full_name.strip(), position=position, phone=normalized)


@transaction.atomic
def channel_save(*, channel: SocialChannel) -> SocialChannel:
    problems = _village_problem(channel)
    if problems:
        raise ValidationError(problems)
    channel.save()
    return channel


@transaction.atomic
def tick_set(
    *, village: Village, item_code: str, passed: bool, ticked_on: date, evidence, by: User | None, note: str = ""
) -> ChecklistTick:
    """Tick (or untick) a checklist item that cannot be computed, with evidence."""
    item = checklist.checklist().item(item_code)
    if item is None:
        raise ValidationError({"item_code": _("This item is not on the checklist.")})
    if not item.is_manual:
        raise ValidationError(
            {"item_code": _("This item is computed from the inventory; record the equipment instead.")}
        )
    if ticked_on > timezone.localdate():
        raise ValidationError({"ticked_on": _("The date cannot be in the future.")})
    if not evidence:
        raise ValidationError({"evidence": _("Attach the evidence (a PDF or a photo of the record).")})
    try:
        evidence = files.clean_document(evidence)  # a photo comes back re-encoded, without its GPS position
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from error
    tick, _created = ChecklistTick.objects.update_or_create(
        village=village,
        item_code=item_code,
        defaults={"passed": passed, "ticked_on": ticked_on, "evidence": evidence, "note": note.strip(), "by": by},
    )
    return tick
