"""Vệ Giang's portal from the whole demo: the dashboard agrees with the source parts, every public page,
download and open-data API answer carries none of the demo's personal data, and pages stay light.

The full demo (11,000 households) runs once for this module inside a transaction rolled back at the end."""

import io
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from ninja.testing import TestClient

from smartcommune.core import metrics
from smartcommune.criteria import selectors as criteria_selectors
from smartcommune.places import demo as places_demo
from smartcommune.places.models import Commune
from smartcommune.portal import demo as portal_demo
from smartcommune.portal.api import router
from smartcommune.portal.models import Article, Document
from smartcommune.portal.opendata import registry
from smartcommune.program import selectors as program_selectors
from smartcommune.registry.models import Household, Organisation

pytestmark = pytest.mark.django_db
CODE = places_demo.COMMUNE_CODE
PAGE_BUDGET = 100 * 1024


@pytest.fixture(scope="module")
def demo_commune(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            if not Commune.objects.filter(code=CODE).exists():  # a flushing test ran before
                call_command("load_places", verbosity=0, stdout=io.StringIO())
            portal_demo.run(password="demo-pass-12345", log=lambda *_: None)  # news and datasets included
            yield Commune.objects.select_related("province").get(code=CODE)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/"):
                self.links.append(href.split("#")[0])


def _text(response) -> str:
    body = response.content.decode("utf-8", "replace")
    if "json" in response.get("Content-Type", ""):
        body = json.dumps(json.loads(body), ensure_ascii=False)  # \u escapes would hide names
    return body


def _personal_data(commune):
    names, numbers = set(), set()
    for name, id_number, phone in Household.objects.in_commune(commune).values_list(
        "head_name", "head_id_number", "phone"
    ):
        names.add(tuple(name.split()))
        numbers.update(n for n in (id_number, phone) if n)
    for representative, phone in Organisation.objects.filter(commune=commune).values_list("representative", "phone"):
        if representative:
            names.add(tuple(representative.split()))
        if phone:
            numbers.add(phone)
    return names, numbers


def _leaks(text: str, names: set, numbers: set) -> list[str]:
    found = [n for n in re.findall(r"\d{9,12}", text) if n in numbers]
    words = re.findall(r"\w+", text)
    sizes = {len(n) for n in names}
    for size in sizes:
        for i in range(len(words) - size + 1):
            if tuple(words[i : i + size]) in names:
                found.append(" ".join(words[i : i + size]))
    return found


def _public_urls(client: Client, commune) -> list[str]:
    """The sitemap, every link the public pages of the commune lead to (one level deep), and downloads."""
    sitemap = client.get(reverse("portal:sitemap")).content.decode()
    start = [urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    start = [u for u in start if f"/{CODE}/" in u or u in ("/", "/tinh/51/")]
    urls = list(dict.fromkeys(start))
    for url in list(urls):
        response = client.get(url)
        if "html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for link in parser.links:
            if link.startswith(("/static/", "/tai-khoan/", "/quan-ly/", "/quan-tri-he-thong/", "/ngon-ngu/")):
                continue
            if link.startswith("/xa/") and f"/xa/{CODE}/" not in link:
                continue  # other communes' pages are empty
            urls.append(link)
    for dataset in registry.all_datasets():
        for fmt in dataset.formats:
            urls.append(reverse("portal:dataset_download", args=[CODE, dataset.slug, fmt]))
            urls.append(reverse("portal:dataset_version", args=[CODE, dataset.slug, 1, fmt]))
    urls += [reverse("portal:dcat", args=[CODE, "jsonld"]), reverse("portal:dcat", args=[CODE, "ttl"])]
    urls += [reverse("portal:rss", args=[CODE]), reverse("portal:atom", args=[CODE])]
    return list(dict.fromkeys(urls))


def test_no_public_page_download_or_open_data_answer_shows_personal_data(demo_commune):
    names, numbers = _personal_data(demo_commune)
    assert len(names) > 1000 and len(numbers) > 1000  # the demo really holds personal data
    client = Client()
    urls = _public_urls(client, demo_commune)
    assert len(urls) > 60
    checked = 0
    for url in urls:
        response = client.get(url)
        if response.status_code in (301, 302):
            continue
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if url.endswith((".pdf", "/tep/")) or response.get("Content-Type", "").startswith(
            ("image/", "application/pdf")
        ):
            continue
        text = _text(response) if not response.streaming else body.decode("utf-8", "replace")
        assert not _leaks(text, names, numbers), url
        checked += 1
    api = TestClient(router)
    answers = [api.get(f"/communes/{CODE}/datasets")]
    for dataset in registry.all_datasets():
        answers += [
            api.get(f"/communes/{CODE}/datasets/{dataset.slug}"),
            api.get(f"/communes/{CODE}/datasets/{dataset.slug}/rows"),
            api.get(f"/communes/{CODE}/datasets/{dataset.slug}/rows?version=1"),
        ]
    for answer in answers:
        assert answer.status_code == 200
        assert not _leaks(json.dumps(answer.json(), ensure_ascii=False), names, numbers)
    assert checked > 50


def test_the_dashboard_shows_the_source_parts_figures(demo_commune, client):
    page = client.get(reverse("portal:transparency", args=[CODE])).content.decode()
    today = timezone.localdate()
    year = criteria_selectors.default_year(demo_commune)
    criteria_set = criteria_selectors.choose_set(None, year)
    met = metrics.read(f"criteria.met:{criteria_set.code}", demo_commune, date(year, 12, 31))
    home = client.get(reverse("portal:commune", args=[CODE])).content.decode()
    assert f"<b>{met.detail.replace(' ', '')}</b>" in home
    reports = metrics.read("feedback.reports_12m", demo_commune, today)
    assert reports is not None and number_format(int(reports.value), force_grouping=True) in page
    on_time = metrics.read("feedback.on_time_pct", demo_commune, today)
    assert number_format(on_time.value, 1) + " %" in page
    for key in ("registry.smartphone_pct", "registry.broadband_pct", "registry.e_payment_pct"):
        reading = metrics.read(key, demo_commune, today)
        assert reading is not None and number_format(reading.value, 1) in page, key
    summary = program_selectors.budget_summary(demo_commune, 2025, until=today)
    if summary.total.planned:
        assert number_format(summary.total.planned, force_grouping=True) in page
    for section in ("criteria", "satisfaction", "reports", "programme", "budget", "digital"):
        assert f'id="{section}"' in page
    assert page.count("<svg") >= 5 and page.count("<table") >= page.count("<svg")


def test_ve_giang_shows_its_news_documents_and_catalogue(demo_commune, client):
    home = client.get(reverse("portal:commune", args=[CODE])).content.decode()
    published = Article.objects.public().filter(commune=demo_commune)
    assert published.count() == 6
    assert published.filter(category="thong-bao").first().title in home
    assert "Lịch tiếp công dân" not in home  # scheduled for next week
    assert "/phan-anh/21238/gui/" in home and "/khao-sat/tra-loi/" in home and "/xa/21238/quet-ma/" in home
    documents = client.get(reverse("portal:documents", args=[CODE]), {"q": "bao cao so ket"}).content.decode()
    assert "210/BC-UBND" in documents and "45/KH-UBND" not in documents
    assert Document.objects.filter(commune=demo_commune).count() == 3
    catalogue = client.get(reverse("portal:opendata", args=[CODE])).content.decode()
    for dataset in registry.all_datasets():
        assert str(dataset.slug) in catalogue
    villages = client.get(reverse("portal:dataset_download", args=[CODE, "thon", "json"])).json()
    assert sum(v["households"] for v in villages) == Household.objects.in_commune(demo_commune).active().count()
    areas = client.get(reverse("portal:dataset_download", args=[CODE, "vung-trong", "geojson"])).json()
    assert areas["type"] == "FeatureCollection" and areas["features"]


@pytest.mark.parametrize(
    "name,args",
    [
        ("portal:commune", [CODE]),
        ("portal:transparency", [CODE]),
        ("portal:news", [CODE]),
        ("portal:documents", [CODE]),
        ("portal:opendata", [CODE]),
        ("portal:dataset", [CODE, "gia-tri-tieu-chi"]),
    ],
)
def test_public_pages_stay_under_100_kb_with_their_stylesheets(demo_commune, client, name, args):
    from django.contrib.staticfiles import finders

    page = client.get(reverse(name, args=args))
    styles = sum(Path(finders.find(p)).stat().st_size for p in ("css/site.css", "portal/portal.css"))
    assert len(page.content) + styles < PAGE_BUDGET
    assert not re.search(r'<script[^>]+src="https?://', page.content.decode())  # nothing from a CDN


def test_an_article_page_is_light_and_shareable(demo_commune, client):
    article = Article.objects.public().filter(commune=demo_commune).first()
    page = client.get(reverse("portal:article", args=[CODE, article.slug])).content.decode()
    assert len(page.encode()) < PAGE_BUDGET
    assert f'<meta property="og:title" content="{article.title}">' in page
    assert 'property="og:image" content="http' in page and 'property="og:type" content="article"' in page
