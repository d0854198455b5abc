"""Nobody can link an answer to a household, even with the whole database in hand.

What links could exist, and why they do not:
- a column or relation: slips, answer forms and answers point only to the campaign, the village, the
  question and the option (checked on the models and on the tables themselves);
- a value stored twice: the code is never stored, its digest only in the slip table, the form's id
  only in the answer tables (checked by searching every table of the database);
- time: answers keep the day only, slips no time at all, and none of these tables keeps a history;
- order: slips are stored in digest order, unrelated to the printed sheet; form ids are random;
- PostgreSQL's row versions: the transaction that spends a slip also writes the answer, so the two
  rows share `xmin` until the used slips are written again, which closing the survey does.
"""

import uuid

import pytest
from django.db import connection
from django.db.models import DateTimeField, DurationField, TimeField
from django.utils import timezone

from smartcommune.places.models import Village
from smartcommune.registry.models import Household
from smartcommune.surveys import codes, services
from smartcommune.surveys.models import Answer, Campaign, Option, Question, Response, Slip

from .conftest import all_satisfied

pytestmark = pytest.mark.django_db

ALLOWED_RELATIONS = {
    Slip: {Campaign, Village},
    Response: {Campaign, Village, Answer},
    Answer: {Response, Question, Village, Option},
}
COLUMNS = {
    Slip: {"id", "campaign_id", "village_id", "code_digest", "spent"},
    Response: {"id", "campaign_id", "village_id", "channel", "submitted_on"},
    Answer: {"id", "response_id", "question_id", "village_id", "option_id", "number", "date", "text", "review"},
}


def test_no_relation_leads_from_a_slip_form_or_answer_to_a_household_a_person_or_each_other():
    for model, allowed in ALLOWED_RELATIONS.items():
        related = {f.related_model for f in model._meta.get_fields() if f.is_relation}
        assert related == allowed, model
    assert Slip not in {f.related_model for f in Household._meta.get_fields() if f.is_relation}


def test_no_time_of_day_and_no_change_history_is_kept_for_slips_forms_or_answers():
    for model in ALLOWED_RELATIONS:
        assert not [f for f in model._meta.concrete_fields if isinstance(f, DateTimeField | TimeField | DurationField)]
        assert not hasattr(model, "history")
    assert {f.name for f in Response._meta.concrete_fields} >= {"submitted_on"}


def test_the_tables_hold_exactly_the_expected_columns():
    with connection.cursor() as cursor:
        for model, expected in COLUMNS.items():
            columns = {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}
            assert columns == expected, model


def _all_values() -> dict[str, list[str]]:
    """Every value of every table of the database, as text, by table."""
    values = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            values[table] = [str(v) for row in cursor.fetchall() for v in row if v is not None]
    return values


def test_the_code_is_nowhere_and_the_form_id_only_in_the_answer_tables(open_campaign, slips, client):
    code = slips["T01"][0]
    response = services.response_submit(code=code, answers=all_satisfied(open_campaign, y_kien="Đề nghị làm đường"))
    needles = {
        "code": [code, codes.display(code)],
        "digest": [codes.digest(code)],
        "form": [response.pk.hex, str(response.pk)],
    }
    found: dict[str, set[str]] = {name: set() for name in needles}
    for table, values in _all_values().items():
        text = "\n".join(values)
        for name, forms in needles.items():
            if any(form in text for form in forms):
                found[name].add(table)
    assert found["code"] == set()
    assert found["digest"] == {Slip._meta.db_table}
    assert found["form"] <= {Response._meta.db_table, Answer._meta.db_table}


def test_a_form_shares_nothing_with_any_slip_but_its_campaign_and_village(open_campaign, slips):
    for code in slips["T01"][:3]:
        services.response_submit(code=code, answers=all_satisfied(open_campaign))
    slip_values = {
        value for row in Slip.objects.values_list("campaign_id", "village_id", "code_digest", "spent") for value in row
    }
    for row in Response.objects.values_list("id", "campaign_id", "village_id", "channel", "submitted_on"):
        assert set(row) & slip_values == {open_campaign.pk, row[2]}


def test_answers_of_one_day_look_alike_and_form_ids_are_random(open_campaign, slips):
    first = services.response_submit(code=slips["T01"][0], answers=all_satisfied(open_campaign))
    second = services.response_submit(code=slips["T01"][1], answers=all_satisfied(open_campaign))
    assert first.submitted_on == second.submitted_on
    assert first.pk.version == 4 and second.pk.version == 4
    assert isinstance(first.pk, uuid.UUID)


def test_answering_leaves_no_session_or_cookie_behind(open_campaign, slips, client):
    from django.contrib.sessions.models import Session

    client.get("/khao-sat/tra-loi/", {"ma": slips["T01"][0]})
    data = {"ma": slips["T01"][0], **{f"a_{k}": v for k, v in all_satisfied(open_campaign).items()}}
    response = client.post("/khao-sat/tra-loi/", data)
    assert response.status_code == 302
    assert not Session.objects.exists()
    assert set(response.cookies) <= {"csrftoken"}


def test_slip_rows_do_not_follow_the_households_order(open_campaign, commune, villages, front_officer):
    from .conftest import add_households

    add_households(villages[0], 40)
    issued = services.slips_issue(campaign=open_campaign, village=villages[0], by=front_officer)
    rows = list(Slip.objects.filter(village=villages[0]).order_by("pk").values_list("code_digest", flat=True))
    assert rows == sorted(rows)
    assert rows != [codes.digest(c) for c in issued.codes]


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_closing_removes_the_shared_transaction_id_of_answer_and_slip(
    places, commune, villages, front_officer, mini_set
):
    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's row version; SQLite updates a slip in place")
    from .conftest import add_households

    add_households(villages[0], 3)
    today = timezone.localdate()
    campaign = services.campaign_create(
        commune=commune,
        kind="satisfaction",
        title="Khảo sát",
        opens_on=today,
        closes_on=today,
        criteria_set=mini_set,
        by=None,
    )
    services.campaign_open(campaign=campaign, by=None)
    issued = services.slips_issue(campaign=campaign, village=villages[0], by=None).codes
    for code in issued[:2]:
        services.response_submit(code=code, answers=all_satisfied(campaign))

    def shared() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {Response._meta.db_table} r JOIN {Slip._meta.db_table} s "
                "ON r.xmin::text = s.xmin::text"
            )
            return cursor.fetchone()[0]

    assert shared() == 2  # the trace exists while the survey is open…
    services.campaign_close(campaign=campaign, by=None)
    assert shared() == 0  # …and is gone once it is closed
