import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcommune.farming import geometry

from .conftest import REF_LAT, REF_LON, bowtie, square

PLACE = geometry.Place(REF_LAT, REF_LON, 10)


def message(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


def test_a_100_metre_square_measures_one_hectare_on_the_ellipsoid():
    shape = geometry.check_geometry(square(100), place=PLACE)
    assert abs(shape.area_ha - Decimal("1")) < Decimal("0.01")
    assert abs(shape.centroid[0] - REF_LAT) < 0.001 and abs(shape.centroid[1] - REF_LON) < 0.002


def test_a_multipolygon_measures_the_sum_of_its_parts():
    a, b = square(100)["coordinates"], square(50, east_m=300)["coordinates"]
    shape = geometry.check_geometry({"type": "MultiPolygon", "coordinates": [a, b]}, place=PLACE)
    assert abs(shape.area_ha - Decimal("1.25")) < Decimal("0.02")


def test_an_open_ring_is_refused():
    ring = square()["coordinates"][0][:-1]
    with pytest.raises(ValidationError) as error:
        geometry.check_geometry({"type": "Polygon", "coordinates": [ring]}, place=PLACE)
    assert "not closed" in message(error)


def test_a_self_intersecting_polygon_is_refused_saying_where():
    with pytest.raises(ValidationError) as error:
        geometry.check_geometry(bowtie(), place=PLACE, name="T9")
    assert "crosses itself" in message(error) and "T9" in message(error)


def test_a_polygon_outside_vietnam_is_refused():
    with pytest.raises(ValidationError) as error:
        geometry.check_geometry(square(lat=48.85, lon=2.35), place=PLACE)
    assert "outside Vietnam" in message(error)


def test_swapped_latitude_and_longitude_are_explained():
    ring = [[lat, lon] for lon, lat in square()["coordinates"][0]]
    with pytest.raises(ValidationError) as error:
        geometry.check_geometry({"type": "Polygon", "coordinates": [ring]}, place=PLACE)
    assert "longitude first" in message(error)


def test_a_polygon_far_from_the_commune_is_refused():
    with pytest.raises(ValidationError) as error:
        geometry.check_geometry(square(lat=21.03, lon=105.85), place=PLACE)  # Hà Nội
    assert "farther than" in message(error)


def test_without_a_reference_point_only_vietnam_is_checked():
    assert geometry.check_geometry(square(lat=21.03, lon=105.85), place=None).area_ha > 0


@pytest.mark.parametrize(
    "data",
    [
        None,
        "POLYGON((1 1, 2 2))",
        {"type": "Point", "coordinates": [108.8, 15.03]},
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": [[[108.8, 15.03], [108.81, "x"], [108.8, 15.04], [108.8, 15.03]]]},
        {"type": "Polygon", "coordinates": [[[108.8, 15.03], [108.81, 15.03], [108.8, 15.03]]]},
        {"type": "Polygon", "coordinates": [[[108.8, 15.03], [108.8, 15.03], [108.8, 15.03], [108.8, 15.03]]]},
    ],
)
def test_malformed_geometries_are_refused(data):
    with pytest.raises(ValidationError):
        geometry.check_geometry(data, place=PLACE)


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>Thửa A</name><Polygon><outerBoundaryIs><LinearRing><coordinates>
{coords}
</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>Thửa B</name><MultiGeometry>
<Polygon><outerBoundaryIs><LinearRing><coordinates>{coords}</coordinates></LinearRing></outerBoundaryIs></Polygon>
<Polygon><outerBoundaryIs><LinearRing><coordinates>{coords2}</coordinates></LinearRing></outerBoundaryIs></Polygon>
</MultiGeometry></Placemark>
</Document></kml>"""


def kml_text() -> str:
    coords = " ".join(f"{x},{y},0" for x, y in square()["coordinates"][0])
    coords2 = " ".join(f"{x},{y},0" for x, y in square(40, east_m=500)["coordinates"][0])
    return KML.format(coords=coords, coords2=coords2)


def test_kml_placemarks_become_named_polygons():
    items = geometry.parse_kml(kml_text().encode())
    assert [name for name, _g in items] == ["Thửa A", "Thửa B"]
    assert items[0][1]["type"] == "Polygon" and items[1][1]["type"] == "MultiPolygon"
    assert geometry.check_geometry(items[0][1], place=PLACE).area_ha > Decimal("0.99")


def test_kml_with_entities_is_refused():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&b;</name></Placemark></kml>"""
    with pytest.raises(ValidationError) as error:
        geometry.parse_kml(bomb)
    assert "DTD" in message(error)


def test_broken_xml_and_kml_without_polygons_are_refused():
    with pytest.raises(ValidationError):
        geometry.parse_kml(b"<kml><Placemark>")
    with pytest.raises(ValidationError):
        geometry.parse_kml(
            b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>x</name><Point/></Placemark></kml>'
        )
    with pytest.raises(ValidationError):
        geometry.parse_kml(b"<gpx></gpx>")


def test_geojson_files_of_features_are_read_with_their_names():
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "A"}, "geometry": square()},
            {"type": "Feature", "properties": {}, "geometry": square(50, east_m=200)},
        ],
    }
    upload = SimpleUploadedFile("thua.geojson", json.dumps(collection).encode())
    items = geometry.read_file(upload)
    assert [name for name, _g in items] == ["A", ""]


def test_files_that_are_neither_geojson_nor_kml_are_refused():
    for name, content in [("a.geojson", b"{not json"), ("a.txt", b"hello"), ("a.geojson", b'{"type": "Point"}')]:
        with pytest.raises(ValidationError):
            geometry.read_file(SimpleUploadedFile(name, content))


def test_too_large_files_are_refused():
    upload = SimpleUploadedFile("a.geojson", b" " * 10)
    upload.size = geometry.MAX_FILE_BYTES + 1
    with pytest.raises(ValidationError):
        geometry.read_file(upload)
