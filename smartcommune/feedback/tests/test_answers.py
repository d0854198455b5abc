import pytest

from smartcommune.feedback import answers
from smartcommune.feedback.models import Question

pytestmark = pytest.mark.django_db


def q(code, datatype, required=False, values=(), variable=True):
    return Question(
        code=code,
        description=code.lower(),
        datatype=datatype,
        required=required,
        variable=variable,
        values=[{"key": k, "name": n} for k, n in values],
    )


LEVEL = q("MUC-DO", "singlevaluelist", True, [("thap", "Thấp"), ("cao", "Cao")])
KINDS = q("LOAI", "multivaluelist", True, [("rac", "Rác"), ("khoi", "Khói")])
POLE = q("SO-COT", "string")
COUNT = q("SO-LUONG", "number")
WHEN = q("LUC", "datetime")
NOTE = q("GHI-CHU", "text")
INFO = q("LUU-Y", "string", True, variable=False)


def test_valid_answers_are_normalised():
    got, errors = answers.clean(
        [LEVEL, KINDS, POLE, COUNT, WHEN, NOTE, INFO],
        {
            "MUC-DO": ["cao"],
            "LOAI": ["rac", "khoi", "rac"],
            "SO-COT": [" C-12 "],
            "SO-LUONG": ["1.234,5"],
            "LUC": ["05/03/2025 14:30"],
            "GHI-CHU": ["dòng 1\ndòng 2"],
        },
    )
    assert errors == {}
    assert got == {
        "MUC-DO": "cao",
        "LOAI": ["rac", "khoi"],
        "SO-COT": "C-12",
        "SO-LUONG": "1234.5",
        "LUC": "2025-03-05T14:30+07:00",
        "GHI-CHU": "dòng 1\ndòng 2",
    }


def test_missing_required_answers_are_named():
    _, errors = answers.clean([LEVEL, KINDS, POLE, INFO], {"MUC-DO": ["  "]})
    assert set(errors) == {"MUC-DO", "LOAI"}


def test_values_outside_the_lists_are_refused():
    _, errors = answers.clean([LEVEL, KINDS], {"MUC-DO": ["rat-cao"], "LOAI": ["rac", "bui"]})
    assert set(errors) == {"MUC-DO", "LOAI"}


def test_bad_numbers_dates_and_lines_are_refused():
    _, errors = answers.clean(
        [POLE, COUNT, WHEN, LEVEL],
        {"SO-COT": ["a\nb"], "SO-LUONG": ["nhiều"], "LUC": ["hôm qua"], "MUC-DO": ["cao", "thap"]},
    )
    assert set(errors) == {"SO-COT", "SO-LUONG", "LUC", "MUC-DO"}


def test_iso_datetimes_keep_their_offset():
    got, errors = answers.clean([WHEN], {"LUC": ["2025-03-05T07:30:00Z"]})
    assert errors == {} and got["LUC"] == "2025-03-05T07:30+00:00"


def test_answers_are_shown_with_their_names():
    assert answers.display([LEVEL, KINDS], {"MUC-DO": "cao", "LOAI": ["rac", "khoi"]}) == [
        ("muc-do", "Cao"),
        ("loai", "Rác, Khói"),
    ]
