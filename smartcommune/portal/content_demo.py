"""Portal demo for Xã Vệ Giang: articles in every category (one scheduled, one in review, one draft),
published documents as real PDFs, and a first recorded version of every open dataset.

Runs last: it needs the accounts demo (officials who write and publish) and reads every other part's
figures for the dataset versions. Idempotent: it does nothing when the demo articles exist."""

from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from smartcommune.accounts.models import User
from smartcommune.core.pdf import Document as Pdf
from smartcommune.places.models import Commune

from . import documents, news
from .models import Article, Category, Document
from .opendata import versions

MARK = "Bài viết minh họa (demo)."

ARTICLES = [
    (
        Category.ANNOUNCEMENT,
        "Thông báo lấy ý kiến sự hài lòng của người dân về xây dựng nông thôn mới",
        "Ủy ban MTTQ xã phát phiếu khảo sát đến từng hộ; hộ có thể trả lời trực tuyến bằng mã trên phiếu.",
        "<p>Từ ngày 01/10 đến 31/10, Ủy ban Mặt trận Tổ quốc xã phối hợp các thôn phát phiếu khảo sát sự hài lòng "
        "đến từng hộ gia đình. Mỗi hộ trả lời một lần, trực tuyến bằng mã in trên phiếu hoặc nộp phiếu giấy cho "
        "trưởng thôn.</p><ul><li>Kết quả chỉ công bố theo thôn, không gắn với hộ nào.</li><li>Thôn ít phiếu được "
        "gộp vào nhóm “Các thôn khác”.</li></ul>",
        20,
    ),
    (
        Category.NEWS,
        "Xã Vệ Giang ra mắt cổng thông tin và dữ liệu mở",
        "Người dân xem tin tức, văn bản, bảng số liệu minh bạch và tải dữ liệu mở của xã.",
        "<h2>Minh bạch số liệu</h2><p>Cổng thông tin mới của xã công khai tình hình thực hiện các tiêu chí nông thôn "
        "mới, kết quả khảo sát sự hài lòng, thống kê phản ánh kiến nghị và tiến độ giải ngân theo nguồn vốn.</p>"
        "<p>Mọi số liệu đều có thể tải về dưới dạng CSV, JSON hoặc GeoJSON theo giấy phép CC BY 4.0.</p>",
        15,
    ),
    (
        Category.NEW_RURAL,
        "Hai thôn nỗ lực hoàn thiện tiêu chí nhà tiêu hợp vệ sinh",
        "Thôn Nghĩa Phương 3 và 4 vận động hộ dân cải tạo nhà tiêu trước kỳ đánh giá cuối năm.",
        "<p>Theo số liệu sổ hộ, tỷ lệ hộ có nhà tiêu hợp vệ sinh ở hai thôn còn thấp hơn ngưỡng của tiêu chí 17. "
        "Ban phát triển thôn đã lập danh sách hỗ trợ vật liệu và ngày công.</p><blockquote>Mỗi hộ hoàn thành là "
        "một bước gần hơn tới xã nông thôn mới.</blockquote>",
        12,
    ),
    (
        Category.DIGITAL,
        "Tổ công nghệ số cộng đồng hướng dẫn thanh toán không dùng tiền mặt",
        "Các tổ công nghệ số cộng đồng mở lớp hướng dẫn cài đặt ứng dụng ngân hàng và thanh toán bằng mã QR.",
        "<p>Trong tháng, các tổ công nghệ số cộng đồng đã tổ chức lớp tại nhà văn hóa thôn, hướng dẫn người dân "
        "cài đặt ứng dụng ngân hàng, thanh toán hóa đơn điện, nước bằng mã QR.</p>",
        9,
    ),
    (
        Category.AGRICULTURE,
        "Vùng trồng rau an toàn được cấp mã số vùng trồng",
        "Hợp tác xã hoàn thiện nhật ký sản xuất để truy xuất nguồn gốc sản phẩm.",
        "<p>Vùng trồng rau an toàn của hợp tác xã đã được cấp mã số vùng trồng. Mỗi lô rau xuất bán có tem QR "
        "dẫn tới trang truy xuất nguồn gốc.</p><table><tbody><tr><th>Nội dung</th><th>Kết quả</th></tr>"
        "<tr><td>Diện tích</td><td>Theo bản đồ vùng trồng</td></tr></tbody></table>",
        6,
    ),
    (
        Category.GUIDE,
        "Hướng dẫn gửi phản ánh, kiến nghị qua cổng thông tin",
        "Ba bước gửi phản ánh và theo dõi kết quả xử lý.",
        "<ol><li>Chọn “Gửi phản ánh” trên trang của xã.</li><li>Chọn lĩnh vực, đánh dấu vị trí, đính kèm ảnh.</li>"
        "<li>Lưu mã theo dõi để xem kết quả xử lý.</li></ol>",
        3,
    ),
]


def _pdf(commune: Commune, title: str, lines: list[str]) -> bytes:
    doc = Pdf(issuer=f"UBND {commune.name}", title=title)
    for line in lines:
        doc.paragraph(line)
    return doc.bytes()


def _documents(commune: Commune, official: User) -> int:
    items = [
        (Document.Kind.PLAN, "45/KH-UBND", date(2025, 2, 10), "Kế hoạch chuyển đổi số trong xây dựng nông thôn mới năm 2025",
         "Mục tiêu, nhiệm vụ, phân công và kinh phí thực hiện chuyển đổi số năm 2025."),
        (Document.Kind.DECISION, "112/QĐ-UBND", date(2025, 3, 18), "Quyết định thành lập tổ công nghệ số cộng đồng các thôn",
         "Thành lập tổ công nghệ số cộng đồng tại các thôn, tổ dân phố."),
        (Document.Kind.REPORT, "210/BC-UBND", date(2025, 7, 5), "Báo cáo sơ kết 6 tháng thực hiện chương trình nông thôn mới",
         "Kết quả thực hiện các tiêu chí, giải ngân vốn và nhiệm vụ 6 tháng cuối năm."),
    ]  # fmt: skip
    created = 0
    for kind, number, issued_on, title, summary in items:
        if Document.objects.filter(commune=commune, number=number).exists():
            continue
        upload = SimpleUploadedFile(f"{number.replace('/', '-')}.pdf", _pdf(commune, title, [summary, MARK]))
        documents.document_create(
            commune=commune, by=official, kind=kind, number=number, issued_on=issued_on,
            issuer=f"UBND {commune.name}", title=title, summary=summary, upload=upload,
        )  # fmt: skip
        created += 1
    return created


def run(*, commune: Commune, log: Callable[[str], None]) -> None:
    if Article.objects.filter(commune=commune, body__contains=MARK).exists():
        log("Portal: demo content already there.")
        return
    publisher = User.objects.get(username="xa.vhxh")
    writer = User.objects.get(username="mttq")
    now = timezone.now()
    for category, title, summary, body, days_ago in ARTICLES:
        article = news.article_create(
            commune=commune, by=writer, title=title, summary=summary, body=body + f"<p><em>{MARK}</em></p>",
            category=category,
        )  # fmt: skip
        news.article_submit(article=article, by=writer)
        news.article_publish(article=article, by=publisher)
        Article.objects.filter(pk=article.pk).update(published_at=now - timedelta(days=days_ago))
    scheduled = news.article_create(
        commune=commune, by=publisher, category=Category.ANNOUNCEMENT,
        title="Lịch tiếp công dân tháng tới", summary="Lịch tiếp công dân định kỳ của lãnh đạo xã.",
        body=f"<p>Lãnh đạo xã tiếp công dân vào sáng thứ Năm hằng tuần tại trụ sở UBND xã.</p><p><em>{MARK}</em></p>",
    )  # fmt: skip
    news.article_submit(article=scheduled, by=publisher)
    news.article_publish(article=scheduled, by=publisher, at=datetime.combine(
        timezone.localdate() + timedelta(days=7), datetime.min.time(), tzinfo=timezone.get_current_timezone()))  # fmt: skip
    review = news.article_create(
        commune=commune, by=writer, category=Category.NEWS, title="Kết quả hội thi tìm hiểu chuyển đổi số",
        body=f"<p>Bản nháp chờ duyệt.</p><p><em>{MARK}</em></p>",
    )  # fmt: skip
    news.article_submit(article=review, by=writer)
    news.article_create(
        commune=commune, by=writer, category=Category.GUIDE, title="Hướng dẫn sử dụng ví điện tử (nháp)",
        body=f"<p>Bản nháp.</p><p><em>{MARK}</em></p>",
    )  # fmt: skip
    created_documents = _documents(commune, publisher)
    recorded = versions.record_all(commune)
    log(
        f"Portal: {len(ARTICLES)} articles published, 1 scheduled, 1 in review, 1 draft; "
        f"{created_documents} documents; {len(recorded)} open datasets recorded."
    )
