import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from smartcommune.core import images, notify, ratelimit


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (3000, 2000), "green")
    exif = Image.Exif()
    exif[0x8825] = {2: (15.0, 5.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_resized_and_loses_its_gps_position():
    cleaned = images.clean_image(SimpleUploadedFile("anh.jpg", jpeg_with_gps()))
    with Image.open(cleaned) as image:
        assert max(image.size) == 1600
        assert not image.getexif()


def test_a_file_that_is_not_a_photo_is_refused():
    with pytest.raises(ValidationError):
        images.clean_image(SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not a photo"))


def test_an_oversized_photo_is_refused():
    with pytest.raises(ValidationError):
        images.clean_image(SimpleUploadedFile("anh.jpg", jpeg_with_gps()), max_bytes=1000)


def test_the_rate_limit_refuses_after_the_limit_in_a_window():
    assert all(ratelimit.hit("test", "abc", limit=3, window=60) for _ in range(3))
    assert not ratelimit.hit("test", "abc", limit=3, window=60)
    assert ratelimit.hit("test", "other", limit=3, window=60)


def test_notifications_go_by_email_and_by_the_console_sms_channel(caplog, settings):
    caplog.set_level("INFO", logger="smartcommune.notify")
    used = notify.send(
        notify.Message(subject="Phản ánh PA-1", body="Đã tiếp nhận", email="a@example.invalid", phone="0912345678")
    )
    assert used == ["email", "sms-console"]
    assert mail.outbox[0].subject == "Phản ánh PA-1"
    assert "0912345678" not in caplog.text and "091****78" in caplog.text
