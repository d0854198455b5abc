from datetime import timedelta

import pytest
from django.utils import timezone

from smartcommune.criteria.tests.conftest import mini_set  # noqa: F401
from smartcommune.registry.models import Household
from smartcommune.surveys import services
from smartcommune.surveys.models import Campaign, Question


def add_households(village, n: int, *, active: bool = True) -> list[Household]:
    start = Household.objects.filter(commune=village.commune).count()
    return [
        Household.objects.create(
            commune=village.commune,
            village=village,
            code=f"{village.code}-{start + i:04d}",
            head_name=f"Nguyễn Văn Mẫu {start + i}",
            is_active=active,
        )
        for i in range(n)
    ]


@pytest.fixture
def homes(commune, villages):
    """Village T01: 4 active households and 1 inactive; T02: 3; T03: 2."""
    add_households(villages[0], 4)
    add_households(villages[0], 1, active=False)
    add_households(villages[1], 3)
    add_households(villages[2], 2)
    return villages


@pytest.fixture
def campaign(commune, mini_set, front_officer):  # noqa: F811
    today = timezone.localdate()
    return services.campaign_create(
        commune=commune,
        kind=Campaign.Kind.SATISFACTION,
        title="Lấy ý kiến sự hài lòng của người dân 2025",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
        criteria_set=mini_set,
        legal_basis="Hướng dẫn 78/HD-MTTW-BTT",
        by=front_officer,
    )


@pytest.fixture
def open_campaign(campaign, front_officer):
    return services.campaign_open(campaign=campaign, by=front_officer)


@pytest.fixture
def slips(open_campaign, homes, front_officer) -> dict[str, list[str]]:
    """The codes printed for every village, by village code."""
    return {v.code: services.slips_issue(campaign=open_campaign, village=v, by=front_officer).codes for v in homes}


def all_satisfied(campaign, **overrides) -> dict:
    """An answer saying "satisfied" to every yes/no question of the campaign."""
    answers = {q.name: "yes" for q in campaign.questions.filter(kind=Question.Kind.YES_NO)}
    answers.update(overrides)
    return answers
