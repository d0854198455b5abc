"""Articles: safe HTML, the draft → review → published workflow by role, scheduling, photos and files,
and the public pages (list, article, share tags, feeds, print) and staff pages (scoped)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from smartcommune.portal import news
from smartcommune.portal.models import Article, ArticleImage, Attachment, Category

from .conftest import pdf, photo

pytestmark = pytest.mark.django_db


def published(commune, by, title="Họp dân thôn Đồng Lớn", body="<p>Nội dung họp dân.</p>", **extra):
    article = news.article_create(commune=commune, by=by, title=title, body=body, **extra)
    news.article_submit(article=article, by=by)
    return news.article_publish(article=article, by=by)


# Sanitising --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dirty,gone",
    [
        ("<p>Hi<script>alert(1)</script></p>", "<script"),
        ('<p><img src="/media/portal/images/a.jpg" onerror="alert(1)" alt="a"></p>', "onerror"),
        ('<p><a href="javascript:alert(1)">bấm</a></p>', "javascript:"),
        ('<p><img src="https://tracker.example/p.gif" alt="x"></p>', "tracker.example"),
        ('<p style="position:fixed">x</p><iframe src="https://evil.example"></iframe>', "iframe"),
        ("<p>x</p><style>body{display:none}</style>", "<style"),
    ],
)
def test_unsafe_html_is_removed_from_the_body(dirty, gone):
    assert gone not in news.sanitise(dirty)


def test_safe_formatting_survives_and_links_get_noopener():
    html = news.sanitise(
        '<h2>Tiêu đề</h2><p><strong>Đậm</strong> <a href="https://gov.vn">cổng</a></p><ul><li>a</li></ul>'
    )
    assert "<h2>Tiêu đề</h2>" in html and "<strong>Đậm</strong>" in html and "<li>a</li>" in html
    assert 'rel="noopener noreferrer"' in html


def test_an_article_with_only_a_script_is_refused_and_nothing_is_saved(commune, official):
    with pytest.raises(ValidationError) as error:
        news.article_create(commune=commune, by=official, title="Bài", body="<script>alert(1)</script>")
    assert "Write the article's text." in str(error.value) or "Viết nội dung" in str(error.value)
    assert not Article.objects.exists()


def test_the_editor_form_stores_sanitised_html(login, official, commune):
    response = login(official).post(
        reverse("portal:staff_article_create", args=[commune.code]),
        {"title": "Tin mới", "category": Category.NEWS, "body": '<p onclick="x()">Chào<script>x()</script></p>'},
    )
    assert response.status_code == 302
    assert Article.objects.get().body == "<p>Chào</p>"


# Workflow ----------------------------------------------------------------------------------------


def test_a_writer_sends_for_review_but_cannot_publish(commune, village_head):
    article = news.article_create(commune=commune, by=village_head, title="Tin thôn", body="<p>Tin.</p>")
    news.article_submit(article=article, by=village_head)
    with pytest.raises(PermissionDenied):
        news.article_publish(article=article, by=village_head)
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW and article.published_at is None


def test_an_official_outside_the_publishing_offices_cannot_publish(login, commune, village_head, economy_official):
    article = news.article_create(commune=commune, by=village_head, title="Tin thôn", body="<p>Tin.</p>")
    news.article_submit(article=article, by=village_head)
    url = reverse("portal:staff_article_action", args=[commune.code, article.pk, "dang"])
    assert login(economy_official).post(url).status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_a_draft_must_be_reviewed_before_publication(commune, official):
    article = news.article_create(commune=commune, by=official, title="Tin", body="<p>Tin.</p>")
    with pytest.raises(ValidationError):
        news.article_publish(article=article, by=official)
    assert Article.objects.get().status == Article.Status.DRAFT


def test_the_publisher_sends_back_with_a_note(commune, official, village_head):
    article = news.article_create(commune=commune, by=village_head, title="Tin", body="<p>Tin.</p>")
    news.article_submit(article=article, by=village_head)
    with pytest.raises(ValidationError):
        news.article_send_back(article=article, by=official, note="  ")
    news.article_send_back(article=article, by=official, note="Thêm ảnh")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.review_note == "Thêm ảnh"


def test_a_writer_cannot_edit_someone_elses_article(commune, village_head, front_officer):
    article = news.article_create(commune=commune, by=front_officer, title="Tin", body="<p>Tin.</p>")
    with pytest.raises(ValidationError):
        news.article_update(article=article, by=village_head, title="Sửa", body="<p>Sửa</p>", category="tin-tuc")
    assert Article.objects.get().title == "Tin"


def test_a_scheduled_article_appears_only_when_its_time_comes(client, commune, official):
    article = news.article_create(commune=commune, by=official, title="Lịch tiếp dân", body="<p>Thứ Năm.</p>")
    news.article_submit(article=article, by=official)
    news.article_publish(article=article, by=official, at=timezone.now() + timedelta(days=2))
    url = reverse("portal:article", args=[commune.code, article.slug])
    assert client.get(url).status_code == 404
    assert "Lịch tiếp dân" not in client.get(reverse("portal:news", args=[commune.code])).content.decode()
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert client.get(url).status_code == 200


def test_a_scheduled_time_in_the_past_is_refused(commune, official):
    article = news.article_create(commune=commune, by=official, title="Tin", body="<p>Tin.</p>")
    news.article_submit(article=article, by=official)
    with pytest.raises(ValidationError):
        news.article_publish(article=article, by=official, at=timezone.now() - timedelta(days=1))
    assert Article.objects.get().status == Article.Status.REVIEW


def test_a_withdrawn_article_leaves_the_portal(client, commune, official):
    article = published(commune, official)
    news.article_withdraw(article=article, by=official)
    assert client.get(reverse("portal:article", args=[commune.code, article.slug])).status_code == 404


# Photos and files --------------------------------------------------------------------------------


def test_an_uploaded_photo_is_resized_and_can_be_used_in_the_body(commune, official):
    article = news.article_create(commune=commune, by=official, title="Tin", body="<p>Tin.</p>")
    image = news.image_add(article=article, by=official, upload=photo(), alt="Cánh đồng")
    assert max(image.width, image.height) == 1600
    body = f'<p>Ảnh</p><img src="{image.image.url}" alt="Cánh đồng">'
    news.article_update(article=article, by=official, title="Tin", body=body, category="tin-tuc")
    assert image.image.url in Article.objects.get().body


def test_a_file_that_is_not_a_photo_is_refused(login, commune, official):
    article = news.article_create(commune=commune, by=official, title="Tin", body="<p>Tin.</p>")
    response = login(official).post(
        reverse("portal:staff_article_action", args=[commune.code, article.pk, "anh"]),
        {"image": SimpleUploadedFile("anh.jpg", b"not an image"), "alt": "Ảnh"},
        follow=True,
    )
    assert "JPEG, PNG" in response.content.decode()
    assert not ArticleImage.objects.exists()


def test_an_oversized_photo_is_refused(commune, official, settings):
    article = news.article_create(commune=commune, by=official, title="Tin", body="<p>Tin.</p>")
    big = photo()
    big.size = 11 * 2**20
    with pytest.raises(ValidationError):
        news.image_add(article=article, by=official, upload=big, alt="Ảnh")
    assert not ArticleImage.objects.exists()


def test_attachments_are_checked_by_content(commune, official):
    article = news.article_create(commune=commune, by=official, title="Tin", body="<p>Tin.</p>")
    with pytest.raises(ValidationError):
        news.attachment_add(article=article, by=official, upload=SimpleUploadedFile("x.pdf", b"MZ\x90 exe"))
    with pytest.raises(ValidationError):
        news.attachment_add(article=article, by=official, upload=SimpleUploadedFile("x.exe", b"%PDF-1.4"))
    news.attachment_add(article=article, by=official, upload=pdf("thong-bao.pdf"))
    assert Attachment.objects.get().content_type == "application/pdf"


def test_a_published_attachment_downloads(client, commune, official):
    article = published(commune, official)
    attachment = news.attachment_add(article=article, by=official, upload=pdf())
    response = client.get(reverse("portal:attachment", args=[commune.code, article.slug, attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


# Public pages ------------------------------------------------------------------------------------


def test_the_article_page_has_share_tags_and_prints(client, commune, official):
    article = published(commune, official, summary="Tóm tắt cuộc họp", cover=photo(), cover_alt="Hội trường")
    page = client.get(reverse("portal:article", args=[commune.code, article.slug])).content.decode()
    assert '<meta property="og:title" content="Họp dân thôn Đồng Lớn">' in page
    assert '<meta property="og:description" content="Tóm tắt cuộc họp">' in page
    assert f'<meta property="og:image" content="http://127.0.0.1:8000{Article.objects.get().cover.url}">' in page
    assert "window.print()" in page and "@media print" not in page  # print rules live in portal.css


def test_news_can_be_searched_without_accents_and_filtered_by_category(client, commune, official):
    published(commune, official, title="Đường giao thông thôn Phước Lộc")
    published(commune, official, title="Thông báo lịch tiêm", category=Category.ANNOUNCEMENT)
    found = client.get(reverse("portal:news", args=[commune.code]), {"q": "duong giao thong"}).content.decode()
    assert "Phước Lộc" in found and "lịch tiêm" not in found
    announcements = client.get(reverse("portal:news_category", args=[commune.code, "thong-bao"])).content.decode()
    assert "lịch tiêm" in announcements and "Phước Lộc" not in announcements
    assert client.get(reverse("portal:news_category", args=[commune.code, "khong-co"])).status_code == 404


def test_rss_and_atom_feeds_list_published_articles_only(client, commune, official):
    published(commune, official, title="Tin đã đăng")
    news.article_create(commune=commune, by=official, title="Bản nháp riêng", body="<p>x</p>")
    rss = client.get(reverse("portal:rss", args=[commune.code]))
    atom = client.get(reverse("portal:atom", args=[commune.code]))
    assert rss["Content-Type"].startswith("application/rss+xml") and atom["Content-Type"].startswith("application/atom")
    for feed in (rss.content.decode(), atom.content.decode()):
        assert "Tin đã đăng" in feed and "Bản nháp riêng" not in feed


def test_another_communes_article_is_not_found_under_ve_giang(client, commune, other_commune, outsider):
    article = published(other_commune, outsider, title="Tin Tư Nghĩa")
    assert client.get(reverse("portal:article", args=[commune.code, article.slug])).status_code == 404


# Staff pages -------------------------------------------------------------------------------------


def test_an_outsider_sees_nothing_of_ve_giangs_staff_news(login, commune, official, outsider):
    article = news.article_create(commune=commune, by=official, title="Nháp nội bộ", body="<p>x</p>")
    client = login(outsider)
    for url in (
        reverse("portal:staff_articles", args=[commune.code]),
        reverse("portal:staff_article", args=[commune.code, article.pk]),
        reverse("portal:staff_article_edit", args=[commune.code, article.pk]),
        reverse("portal:staff_article_create", args=[commune.code]),
    ):
        assert client.get(url).status_code == 403
    assert (
        client.post(reverse("portal:staff_article_action", args=[commune.code, article.pk, "gui-duyet"])).status_code
        == 403
    )
    assert Article.objects.get().status == Article.Status.DRAFT


def test_an_article_of_ve_giang_is_not_reachable_through_another_communes_staff_pages(
    login, commune, other_commune, official, outsider
):
    article = news.article_create(commune=commune, by=official, title="Nháp", body="<p>x</p>")
    assert (
        login(outsider).get(reverse("portal:staff_article", args=[other_commune.code, article.pk])).status_code == 404
    )


def test_a_resident_cannot_write(login, commune, resident):
    assert login(resident).get(reverse("portal:staff_article_create", args=[commune.code])).status_code == 403


def test_the_staff_list_shows_drafts_and_the_editor_page_loads_its_assets(login, commune, official):
    news.article_create(commune=commune, by=official, title="Nháp của tôi", body="<p>x</p>")
    client = login(official)
    assert "Nháp của tôi" in client.get(reverse("portal:staff_articles", args=[commune.code])).content.decode()
    editor = client.get(reverse("portal:staff_article_create", args=[commune.code])).content.decode()
    assert "django_prose_editor/editor.js" in editor and "data-django-prose-editor-configurable" in editor
