"""Submissions of one code at the same moment store exactly one answer, on the real database.

Threads with their own connections run the real service. Every thread is held until all have passed
the code lookup and the validation, so they really meet at the spend; the first one then keeps its
transaction open a moment longer, so the others must wait for it (PostgreSQL row lock, SQLite write
lock) and find the slip spent. On SQLite the test database lives in memory, which threads cannot
share with real locking, so it is copied to a file (WAL, as in production) for the threads.
"""

import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from smartcommune.surveys import services
from smartcommune.surveys.models import Answer, Campaign, Response, Slip

from .conftest import add_households, all_satisfied

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def shared_database(tmp_path):
    """Threads' connections go to a file copy of an in-memory SQLite test database (else unchanged)."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    path = tmp_path / "race.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    settings = connections.settings["default"]
    original = settings["NAME"]
    settings["NAME"] = str(path)
    try:
        yield
    finally:
        settings["NAME"] = original


def in_thread(function):
    """Run `function` in a new thread (with its own connection) and return its result."""
    result = {}

    def run():
        try:
            result["value"] = function()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result["value"]


def race(code: str, answers: dict, threads: int, monkeypatch) -> list[str]:
    met = threading.Barrier(threads)
    clean, store = services.answers_clean, services._store

    def clean_then_meet(*args, **kwargs):
        cleaned = clean(*args, **kwargs)
        met.wait(timeout=10)  # every thread has looked the code up and checked the answers
        return cleaned

    def slow_store(*args, **kwargs):
        response = store(*args, **kwargs)
        time.sleep(0.3)  # keep the spending transaction open while the others try
        return response

    monkeypatch.setattr(services, "answers_clean", clean_then_meet)
    monkeypatch.setattr(services, "_store", slow_store)
    outcomes = []

    def submit():
        try:
            services.response_submit(code=code, answers=answers)
            outcomes.append("stored")
        except services.CodeProblem as problem:
            outcomes.append(problem.reason)
        except Exception as error:  # any other failure is a test failure, reported below
            outcomes.append(f"error: {error!r}")
        finally:
            connections.close_all()

    workers = [threading.Thread(target=submit) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return sorted(outcomes)


@pytest.fixture
def race_setup(places, commune, villages, mini_set, front_officer):
    add_households(villages[0], 3)
    today = timezone.localdate()
    campaign = services.campaign_create(
        commune=commune,
        kind=Campaign.Kind.SATISFACTION,
        title="Khảo sát đồng thời",
        opens_on=today,
        closes_on=today + timedelta(days=1),
        criteria_set=mini_set,
        by=front_officer,
    )
    services.campaign_open(campaign=campaign, by=front_officer)
    codes = services.slips_issue(campaign=campaign, village=villages[0], by=front_officer).codes
    return campaign, codes


def _journal_mode() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        return cursor.fetchone()[0]


def stored() -> tuple[int, int, int]:
    return Response.objects.count(), Answer.objects.count(), Slip.objects.filter(spent=True).count()


@pytest.mark.parametrize("threads", [2, 4])
def test_simultaneous_submissions_of_one_code_store_exactly_one_answer(race_setup, tmp_path, monkeypatch, threads):
    campaign, codes = race_setup
    answers = all_satisfied(campaign)
    with shared_database(tmp_path):
        if connection.vendor == "sqlite":  # the threads really work on the file, in WAL mode
            assert in_thread(lambda: connections["default"].settings_dict["NAME"]).endswith("race.sqlite3")
            assert in_thread(lambda: _journal_mode()) == "wal"
        outcomes = race(codes[0], answers, threads, monkeypatch)
        counts = in_thread(stored)
    assert outcomes == ["stored", *["used"] * (threads - 1)]
    assert counts == (1, len(answers), 1)


def test_simultaneous_submissions_of_different_codes_are_all_stored(race_setup, tmp_path, monkeypatch):
    campaign, codes = race_setup
    answers = all_satisfied(campaign)
    with shared_database(tmp_path):
        outcomes = []
        threads = [
            threading.Thread(
                target=lambda c=c: (
                    services.response_submit(code=c, answers=answers),
                    outcomes.append(c),
                    connections.close_all(),
                )
            )
            for c in codes
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        counts = in_thread(stored)
    assert len(outcomes) == 3
    assert counts == (3, 3 * len(answers), 3)
