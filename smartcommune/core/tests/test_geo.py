import pytest

from smartcommune.core import geo


def test_points_of_vietnam_are_inside_including_the_islands():
    for lat, long in [
        (21.0285, 105.8542),  # Hà Nội
        (10.7769, 106.7009),  # TP Hồ Chí Minh
        (15.03, 108.80),  # Vệ Giang
        (10.2899, 103.9840),  # Phú Quốc
        (23.3633, 105.3164),  # Lũng Cú
        (16.5333, 111.6167),  # Hoàng Sa
        (8.6446, 111.9196),  # Trường Sa
    ]:
        assert geo.in_vietnam(lat, long), (lat, long)


def test_points_far_from_vietnam_are_outside():
    for lat, long in [(13.7563, 100.5018), (14.5995, 120.9842), (48.8566, 2.3522), (0, 0), (-15.03, -108.8)]:
        assert not geo.in_vietnam(lat, long), (lat, long)


def test_distance_hanoi_to_saigon_is_about_1140_km():
    assert 1_130_000 < geo.distance_m(21.0285, 105.8542, 10.7769, 106.7009) < 1_145_000


def test_a_box_holds_every_point_within_its_distance():
    south, north, west, east = geo.box_around(15.03, 108.80, 200)
    for bearing_lat, bearing_long in [(0.00179, 0), (-0.00179, 0), (0, 0.00185), (0, -0.00185)]:
        lat, long = 15.03 + bearing_lat, 108.80 + bearing_long
        assert geo.distance_m(15.03, 108.80, lat, long) < 200
        assert south <= lat <= north and west <= long <= east


def test_public_points_are_snapped_to_about_100_m():
    lat, long = geo.public_point(15.030449, 108.800551)
    assert (lat, long) == (15.03, 108.801)
    assert geo.distance_m(15.030449, 108.800551, lat, long) < 80
    assert geo.public_point(None, 108.8) is None


@pytest.mark.parametrize(
    "lat, lon, inside",
    [
        (15.03, 108.80, True),  # Vệ Giang
        (21.03, 105.85, True),  # Hà Nội
        (10.22, 103.96, True),  # Phú Quốc
        (8.60, 104.73, True),  # Mũi Cà Mau
        (16.5, 112.0, True),  # Hoàng Sa
        (108.80, 15.03, False),  # latitude and longitude swapped
        (17.97, 102.60, False),  # Viêng Chăn
        (11.55, 104.92, False),  # Phnôm Pênh
        (13.75, 100.50, False),  # Băng Cốc
        (20.04, 110.20, False),  # Hải Khẩu
        (0, 0, False),
    ],
)
def test_points_are_checked_to_be_in_vietnam(lat, lon, inside):
    assert geo.in_vietnam(lat, lon) is inside
