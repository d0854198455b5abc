"""Benchmark: households answering a survey over HTTP, 50 at a time, against a real server process.

    python -m bench.surveys_submit --size small|full [--database-url URL] [--clients 50] [--workers 4]

A satisfaction survey on the QĐ 318 set (19 items, the overall question and a comment: 21 questions)
gets one slip per household: 10,000 households (2,000 at --size small). The server is gunicorn from
the venv on 127.0.0.1:8101, with the survey rate limit raised for the run (SURVEYS_RATE_LIMIT in its
environment: one address sends everything here). Client processes with threads play 50 households at
once, each doing what a phone does: GET the page the slip's QR code opens (the code is checked, the
questions shown), then POST the answers with the CSRF token (the answer is stored and the code spent
in one transaction), and count the confirmations (302).

The reference, in the same run, on the same database and the same server settings, is a minimal WSGI
application (`reference_app` below) doing the same database work in plain SQL: look the code's digest
up on GET; on POST, in one transaction, spend the slip with a conditional UPDATE and insert the form and
its 21 answers. value = our answers/s; ratio = ours ÷ reference (higher is better, at most about 1).

Afterwards exactly as many answer forms as households must exist and every slip must be spent once
(`lost`, `duplicates`); then 1,000 of the same codes (200 small) are sent again, 50 at a time: every
one must be refused (409) and no answer added (`replayed_new`).

The database is a fresh SQLite file (WAL) in a temporary directory, or the one `--database-url` names
(PostgreSQL: created if missing, e.g. postgres://postgres@127.0.0.1:5432/xtm_bench_surveys). The
benchmark only holds households coded "BS-…" and its own surveys, and refuses a database with other
households. The last line of output is one JSON object (see DESIGN.md, "Quality bars").
"""

import argparse
import http.client
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from bench._web import stop_server

SIZES = {"small": 2_000, "full": 10_000}
REPLAYS = {"small": 200, "full": 1_000}
HOST, PORT = "127.0.0.1", 8101
COMMUNE = "21238"
CODE_PREFIX = "BS-"
TITLE = "BENCH surveys_submit"
ROOT = Path(__file__).resolve().parent.parent
_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def configure(database_url: str | None) -> str | None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_TESTING"] = "1"  # the insecure local key, no HTTPS redirect: a local benchmark
    os.environ["DJANGO_DEBUG"] = "0"
    scratch = None
    if not database_url:
        scratch = tempfile.mkdtemp(prefix="xtm-bench-surveys-")
        database_url = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    if database_url.startswith(("postgres://", "postgresql://")):
        _create_postgres_database(database_url)
    import django

    django.setup()
    return scratch


def _create_postgres_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


# The data ------------------------------------------------------------------------------------------


def prepare(count: int):
    """Migrate, load places, the QĐ 318 set and `count` bench households; refuse foreign data."""
    import io

    from django.core.management import call_command

    from smartcommune.criteria import loading
    from smartcommune.criteria.models import CriteriaSet
    from smartcommune.places import demo as places_demo
    from smartcommune.places.models import Commune
    from smartcommune.registry.models import Household
    from smartcommune.surveys.models import Campaign

    call_command("migrate", verbosity=0)
    if not Commune.objects.filter(code=COMMUNE).exists():
        call_command("load_places", verbosity=0, stdout=io.StringIO())
    if Household.objects.exclude(code__startswith=CODE_PREFIX).exists():
        sys.exit("This database holds households that the benchmark did not make: give it an empty database.")
    if not CriteriaSet.objects.filter(code="qd318-xa-ntm").exists():
        loading.load_all()
    commune = places_demo.run(log=lambda message: None)
    Campaign.objects.filter(commune=commune, title__startswith=TITLE).delete()
    Household.objects.filter(commune=commune).delete()
    villages = list(commune.villages.order_by("code"))
    Household.objects.bulk_create(
        [
            Household(
                commune=commune,
                village=villages[n % len(villages)],
                code=f"{CODE_PREFIX}{n:06d}",
                head_name=f"Hộ Mẫu {n:06d}",
                search_key=Household.make_search_key(f"{CODE_PREFIX}{n:06d}", f"Hộ Mẫu {n:06d}", ""),
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    return commune, villages


def survey_with_codes(commune, villages, label: str):
    """An open satisfaction survey and the codes of all its slips (one per household)."""
    from datetime import timedelta

    from django.utils import timezone

    from smartcommune.criteria.models import CriteriaSet
    from smartcommune.surveys import services

    today = timezone.localdate()
    campaign = services.campaign_create(
        commune=commune,
        kind="satisfaction",
        title=f"{TITLE} {label}",
        opens_on=today,
        closes_on=today + timedelta(days=7),
        criteria_set=CriteriaSet.objects.get(code="qd318-xa-ntm"),
        by=None,
    )
    services.campaign_open(campaign=campaign, by=None)
    codes = []
    for village in villages:
        codes += services.slips_issue(campaign=campaign, village=village, by=None).codes
    return campaign, codes


def counts(campaign) -> dict[str, int]:
    from smartcommune.surveys.models import Answer, Response, Slip

    return {
        "responses": Response.objects.filter(campaign=campaign).count(),
        "answers": Answer.objects.filter(question__campaign=campaign).count(),
        "spent": Slip.objects.filter(campaign=campaign, spent=True).count(),
        "slips": Slip.objects.filter(campaign=campaign).count(),
    }


# The reference application --------------------------------------------------------------------------

_reference = {}


def reference_app(environ, start_response):
    """The same database work as the survey page, in plain SQL behind a bare WSGI callable."""
    if not _reference:
        import django

        django.setup()
        from django.db import connection

        from smartcommune.surveys.models import Answer, Response, Slip

        quote = connection.ops.quote_name
        _reference.update(
            slip=quote(Slip._meta.db_table),
            response=quote(Response._meta.db_table),
            answer=quote(Answer._meta.db_table),
            uuid=Response._meta.pk,
        )
    import uuid
    from datetime import date

    from django.db import close_old_connections, connection, transaction

    from smartcommune.surveys import codes

    close_old_connections()
    t = _reference
    if environ["REQUEST_METHOD"] == "GET":
        code = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("ma", [""])[0]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, campaign_id, village_id, spent FROM {t['slip']} WHERE code_digest = %s",
                [codes.digest(codes.normalize(code) or "")],
            )
            row = cursor.fetchone()
        status = "200 OK" if row and not row[3] else "409 Conflict"
        start_response(status, [("Content-Type", "text/html; charset=utf-8")])
        return [b'<form method="post"><input name="csrfmiddlewaretoken" value="-"></form>']
    size = int(environ.get("CONTENT_LENGTH") or 0)
    form = urllib.parse.parse_qs(environ["wsgi.input"].read(size).decode())
    digest = codes.digest(codes.normalize(form.get("ma", [""])[0]) or "")
    answers = {k[2:]: v[0] for k, v in form.items() if k.startswith("a_")}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT id, campaign_id, village_id FROM {t['slip']} WHERE code_digest = %s", [digest])
        slip = cursor.fetchone()
        cursor.execute(f"UPDATE {t['slip']} SET spent = %s WHERE id = %s AND spent = %s", [True, slip[0], False])
        if cursor.rowcount != 1:
            start_response("409 Conflict", [("Content-Type", "text/plain")])
            return [b"used"]
        cursor.execute(
            "SELECT q.id, q.name, o.id, o.value FROM surveys_question q LEFT JOIN surveys_option o ON o.question_id = q.id "
            "WHERE q.campaign_id = %s",
            [slip[1]],
        )
        options, questions = {}, {}
        for qid, name, oid, value in cursor.fetchall():
            questions[name] = qid
            options[(name, value)] = oid
        response_id = t["uuid"].get_db_prep_value(uuid.uuid4(), connection)
        cursor.execute(
            f"INSERT INTO {t['response']} (id, campaign_id, village_id, channel, submitted_on) VALUES (%s, %s, %s, %s, %s)",
            [response_id, slip[1], slip[2], "online", date.today()],
        )
        rows = [
            (
                response_id,
                questions[name],
                slip[2],
                options.get((name, value)),
                "" if (name, value) in options else value,
            )
            for name, value in answers.items()
        ]
        cursor.executemany(
            f"INSERT INTO {t['answer']} (response_id, question_id, village_id, option_id, text, review) "
            "VALUES (%s, %s, %s, %s, %s, '')",
            rows,
        )
    start_response("302 Found", [("Location", "/done/")])
    return [b""]


# The server and the clients ---------------------------------------------------------------------------


def start_server(app: str, workers: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "SURVEYS_RATE_LIMIT": str(10**9), "SURVEYS_WRONG_CODE_LIMIT": str(10**9)}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, app, "-b", f"{HOST}:{PORT}", "-w", str(workers), "-k", "sync", "--timeout", "120"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped at start; see {log}")
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=5)
            connection.request("GET", "/khao-sat/tra-loi/")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    sys.exit("gunicorn did not answer within 60 s")


def _request(method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection(HOST, PORT, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Set-Cookie") or ""
    finally:
        connection.close()


def household(code: str, answers: dict, cookie: dict) -> int:
    """One household: open the slip's page, send the answers; the status of the POST."""
    status, page, set_cookie = _request("GET", f"/khao-sat/tra-loi/?ma={code}", headers=cookie.get("headers"))
    if "csrftoken=" in set_cookie:
        token = set_cookie.split("csrftoken=", 1)[1].split(";", 1)[0]
        cookie["headers"] = {"Cookie": f"csrftoken={token}"}
    if status != 200:
        return status
    match = _TOKEN.search(page)
    form = {"ma": code, "csrfmiddlewaretoken": match.group(1).decode() if match else "-"}
    form.update({f"a_{name}": value for name, value in answers.items()})
    headers = {"Content-Type": "application/x-www-form-urlencoded", **cookie.get("headers", {})}
    status, _body, _cookie = _request("POST", "/khao-sat/tra-loi/", urllib.parse.urlencode(form).encode(), headers)
    return status


def replay(code: str, answers: dict, cookie: dict) -> int:
    """Send a used code's answers straight away (a form kept open, a retry, a copied code)."""
    if "headers" not in cookie:
        _status, _page, set_cookie = _request("GET", "/khao-sat/tra-loi/")
        cookie["token"] = set_cookie.split("csrftoken=", 1)[1].split(";", 1)[0] if "csrftoken=" in set_cookie else "-"
        cookie["headers"] = {"Cookie": f"csrftoken={cookie['token']}"}
    form = {"ma": code, "csrfmiddlewaretoken": cookie.get("token", "-")}
    form.update({f"a_{name}": value for name, value in answers.items()})
    headers = {"Content-Type": "application/x-www-form-urlencoded", **cookie["headers"]}
    status, _body, _cookie = _request("POST", "/khao-sat/tra-loi/", urllib.parse.urlencode(form).encode(), headers)
    return status


def _client_process(task: str, codes: list[str], answers: dict, threads: int, queue) -> None:
    """One client process: `threads` households at a time, each thread with its share of the codes."""
    work = {"household": household, "replay": replay}[task]
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def run(share: list[str]) -> None:
        cookie: dict = {}
        for code in share:
            try:
                status = work(code, answers, cookie)
            except OSError:
                status = 0
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    workers = [threading.Thread(target=run, args=(codes[i::threads],)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put(statuses)


def load(task: str, codes: list[str], answers: dict, clients: int) -> tuple[float, dict[int, int]]:
    """`clients` concurrent households over several processes (the GIL stays out of the way)."""
    processes = min(clients, max(2, (os.cpu_count() or 2) * 2))
    per = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    queue = multiprocessing.get_context("fork").Queue()
    started = time.perf_counter()
    jobs = []
    for index in range(processes):
        share = codes[index::processes]
        job = multiprocessing.get_context("fork").Process(
            target=_client_process, args=(task, share, answers, per[index], queue)
        )
        job.start()
        jobs.append(job)
    totals: dict[int, int] = {}
    for _job in jobs:
        for status, n in queue.get().items():
            totals[status] = totals.get(status, 0) + n
    for job in jobs:
        job.join()
    return time.perf_counter() - started, totals


def answers_for(campaign) -> dict:
    answers = {q.name: "yes" for q in campaign.questions.filter(kind="yes_no")}
    answers["y_kien"] = "Đề nghị tiếp tục nâng cấp đường giao thông nội đồng."
    return answers


# Main --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args(argv)
    scratch = configure(args.database_url)
    try:
        return run(args)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def run(args: argparse.Namespace) -> dict:
    from django.db import connection

    count, replays = SIZES[args.size], REPLAYS[args.size]
    started = time.perf_counter()
    commune, villages = prepare(count)
    ours, our_codes = survey_with_codes(commune, villages, "ours")
    reference, reference_codes = survey_with_codes(commune, villages, "reference")
    answers = answers_for(ours)
    print(f"{count:,} households, two surveys of {len(answers)} questions, slips made "
          f"in {time.perf_counter() - started:.1f} s ({connection.vendor}).")  # fmt: skip
    connection.close()  # the forked clients must not share this connection
    logs = Path(tempfile.mkdtemp(prefix="xtm-bench-surveys-logs-"))
    results = {}
    try:
        for label, app, campaign, codes in (
            ("reference", "bench.surveys_submit:reference_app", reference, reference_codes),
            ("ours", "config.wsgi:application", ours, our_codes),
        ):
            server = start_server(app, args.workers, logs / f"{label}.log")
            try:
                seconds, statuses = load("household", codes, answers, args.clients)
                after = counts(campaign)
                connection.close()
                replay_seconds, replay_statuses = load("replay", codes[:replays], answers, args.clients)
                replayed = counts(campaign)
                connection.close()
            finally:
                stop_server(server)
            results[label] = {
                "seconds": seconds,
                "rate": count / seconds,
                "statuses": statuses,
                "after": after,
                "replay_statuses": replay_statuses,
                "replayed_new": replayed["responses"] - after["responses"],
            }
            print(f"  {label:<10} {count:,} answers in {seconds:6.1f} s = {count / seconds:7.1f} answers/s; "
                  f"statuses {statuses}; replay of {replays:,}: {replay_statuses} in {replay_seconds:.1f} s")  # fmt: skip
    finally:
        shutil.rmtree(logs, ignore_errors=True)
    mine = results["ours"]
    after = mine["after"]
    confirmed = mine["statuses"].get(302, 0)
    figures = {
        "bench": "surveys_submit",
        "value": round(mine["rate"], 1),
        "unit": "answers/s",
        "reference": round(results["reference"]["rate"], 1),
        "ratio": round(mine["rate"] / results["reference"]["rate"], 2),
        "size": args.size,
        "database": connection.vendor,
        "clients": args.clients,
        "workers": args.workers,
        "households": count,
        "confirmed": confirmed,
        "stored": after["responses"],
        "spent": after["spent"],
        "lost": max(0, count - after["responses"]) + max(0, confirmed - after["responses"]),
        "duplicates": max(0, after["responses"] - after["spent"]) + max(0, after["responses"] - count),
        "answers_per_form": round(after["answers"] / max(1, after["responses"]), 2),
        "replayed": replays,
        "replay_refused": mine["replay_statuses"].get(409, 0),
        "replayed_new": mine["replayed_new"],
        "errors": sum(n for status, n in mine["statuses"].items() if status != 302)
        + sum(n for status, n in mine["replay_statuses"].items() if status != 409),
        "seconds": {label: round(r["seconds"], 2) for label, r in results.items()},
    }
    print(f"  stored {after['responses']:,} forms, {after['spent']:,} slips spent, lost {figures['lost']}, "
          f"duplicates {figures['duplicates']}, replays refused {figures['replay_refused']:,}, new from replays "
          f"{figures['replayed_new']}")  # fmt: skip
    print(json.dumps(figures, ensure_ascii=False))
    return figures


if __name__ == "__main__":
    main()
