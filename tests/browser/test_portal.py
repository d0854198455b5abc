"""The public portal in Chromium: axe-core finds no serious accessibility violation on the commune home,
the transparency dashboard and an article; pages fit a 360 px phone and work with JavaScript off.

axe-core comes from the npm registry, pinned in tests/browser/package.json (`npm ci` in tests/browser)."""

from pathlib import Path

import pytest

from conftest import make_user

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def portal(live, transactional_db):
    from django.core.cache import cache

    from smartcommune.accounts.models import Department, Role
    from smartcommune.places.models import Commune, Village
    from smartcommune.portal import news
    from smartcommune.portal.opendata import registry, versions

    cache.clear()
    commune = Commune.objects.get(code="21238")
    commune.introduction = "Xã Vệ Giang nằm bên sông Vệ, tỉnh Quảng Ngãi."
    commune.save(update_fields=["introduction"])
    for i, name in enumerate(["Thôn Đồng Lớn", "Thôn An Hòa"], start=1):
        Village.objects.create(commune=commune, code=f"T{i:02d}", name=name)
    official = make_user("bientap", Role.COMMUNE_OFFICIAL, commune=commune, department=Department.CULTURE_SOCIAL)
    article = news.article_create(
        commune=commune, by=official, title="Xã ra mắt cổng dữ liệu mở", summary="Số liệu công khai cho mọi người.",
        body="<h2>Minh bạch</h2><p>Người dân tải dữ liệu <a href='https://data.gov.vn'>mở</a>.</p><ul><li>CSV</li></ul>",
    )  # fmt: skip
    news.article_submit(article=article, by=official)
    news.article_publish(article=article, by=official)
    versions.record(commune, registry.get("thon"))
    return {"url": live, "commune": commune, "article": article}


def serious_violations(page) -> list[str]:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` in tests/browser (CI does).")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path", ["/xa/21238/", "/xa/21238/minh-bach/", "ARTICLE", "/xa/21238/du-lieu-mo/thon/"])
def test_public_pages_have_no_serious_accessibility_violations(page, portal, path):
    if path == "ARTICLE":
        path = f"/xa/21238/tin-tuc/{portal['article'].slug}/"
    page.goto(portal["url"] + path)
    assert page.locator("main h1").count() == 1
    assert serious_violations(page) == []


def test_the_commune_home_fits_a_360_px_phone(phone_page, portal):
    phone_page.goto(portal["url"] + "/xa/21238/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    phone_page.get_by_role("link", name="Xã ra mắt cổng dữ liệu mở").click()
    assert phone_page.locator("h1").inner_text() == "Xã ra mắt cổng dữ liệu mở"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360


def test_documents_dashboard_and_news_search_work_with_javascript_off(browser, portal):
    context = browser.new_context(locale="vi-VN", java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(portal["url"] + "/xa/21238/van-ban/?q=khong+co")
        assert page.locator("table").count() == 1
        page.goto(portal["url"] + "/xa/21238/minh-bach/")
        assert page.locator("h2#digital").count() == 1 and page.locator("table").count() >= 1
        page.goto(portal["url"] + "/xa/21238/tin-tuc/?q=du+lieu+mo")
        assert "Xã ra mắt cổng dữ liệu mở" in page.content()
    finally:
        context.close()
