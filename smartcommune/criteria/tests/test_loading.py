from pathlib import Path

import pytest

from smartcommune.criteria import loading
from smartcommune.criteria.models import CriteriaSet, Indicator, Threshold

from .conftest import DATA

MINI = (DATA / "mini.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_shipped_sets_all_load(db):
    report = loading.load_all()
    codes = set(CriteriaSet.objects.values_list("code", flat=True))
    assert {"qd318-xa-ntm", "qd318-xa-ntm-nang-cao", "qd51-2025-xa-ntm", "xa-ntm-thong-minh"} <= codes
    assert len(report.loaded) == len(codes)
    assert CriteriaSet.objects.get(code="qd318-xa-ntm").criteria.count() == 19
    assert CriteriaSet.objects.get(code="qd51-2025-xa-ntm").criteria.count() == 10


def test_unconfirmed_values_carry_a_flag_and_a_source(db):
    loading.load_all()
    flagged = Threshold.objects.filter(indicator__criteria_set__code="qd318-xa-ntm", needs_verification=True)
    assert flagged.exists() and all(t.source for t in flagged)


def test_loading_again_changes_nothing(mini_set):
    before = list(Threshold.objects.values_list("pk", flat=True))
    report = loading.load_all(DATA)
    assert report.unchanged == ["test-mini"] and report.loaded == []
    assert list(Threshold.objects.values_list("pk", flat=True)) == before


def test_a_changed_file_updates_the_set_and_keeps_history(mini_set, tmp_path):
    (tmp_path / "mini.yaml").write_text(
        MINI.replace("Tỷ lệ hộ sử dụng điện an toàn", "Hộ dùng điện an toàn"), encoding="utf-8"
    )
    loading.load_all(tmp_path)
    indicator = Indicator.objects.get(criteria_set=mini_set, code="4.2")
    assert indicator.name == "Hộ dùng điện an toàn"
    assert indicator.history.count() == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("field: safe_electricity}}", "field: tivi}}"), "bad.yaml:18: unknown field 'tivi' in a formula"),
        (('code: "9.2"', 'code: "9.1"'), "duplicate indicator code '9.1' (first on line"),
        (("regions: [DBSH]", "regions: [MARS]"), "threshold for an unknown region 'MARS'"),
        (('comparator: ">=", value: 98', 'comparator: "=>", value: 98'), "unknown comparator '=>'"),
        (
            (
                "source: registry\n        village_level: true\n        formula:\n          numerator: {count: {field: safe",
                "source: registry\n        village_level: true\n        formulas:\n          numerator: {count: {field: safe",
            ),
            "needs a formula",
        ),
    ],
)
def test_a_malformed_file_is_refused_with_file_and_line(db, tmp_path, change, expected):
    directory = write(tmp_path, MINI.replace(*change, 1))
    with pytest.raises(loading.CriteriaFileError) as error:
        loading.load_all(directory)
    assert any(expected in problem and problem.startswith("bad.yaml:") for problem in error.value.problems), (
        error.value.problems
    )
    assert not CriteriaSet.objects.exists()


def test_broken_yaml_names_the_line(db, tmp_path):
    with pytest.raises(loading.CriteriaFileError) as error:
        loading.load_all(write(tmp_path, "code: x\ncriteria: [\n"))
    assert error.value.problems[0].startswith("bad.yaml:")
