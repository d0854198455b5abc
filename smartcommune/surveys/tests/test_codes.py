import random

from smartcommune.core import crypto
from smartcommune.surveys import codes


def test_a_code_is_eight_unambiguous_characters_with_a_valid_check():
    rng = random.Random(1)
    for _ in range(500):
        code = codes.generate(rng)
        assert len(code) == 8 and set(code) <= set(codes.ALPHABET)
        assert codes.normalize(code) == code
    assert not set("01OIL") & set(codes.ALPHABET)


def test_every_single_wrong_character_and_every_swap_of_neighbours_is_caught():
    rng = random.Random(2)
    for _ in range(300):
        code = codes.generate(rng)
        for i in range(8):
            for ch in codes.ALPHABET:
                if ch != code[i]:
                    assert codes.normalize(code[:i] + ch + code[i + 1 :]) is None
        for i in range(7):
            if code[i] != code[i + 1]:
                assert codes.normalize(code[:i] + code[i + 1] + code[i] + code[i + 2 :]) is None


def test_typing_is_forgiving_about_case_spaces_and_dashes_only():
    code = codes.generate(random.Random(3))
    assert codes.normalize(codes.display(code).lower()) == code
    assert codes.normalize(f" {code[:4]} {code[4:]} ") == code
    assert codes.normalize(code + "2") is None
    assert codes.normalize(code[:7]) is None
    assert codes.normalize("Ô" + code[1:]) is None


def test_the_digest_is_keyed_and_not_a_plain_hash():
    import hashlib

    code = codes.generate(random.Random(4))
    assert codes.digest(code) == crypto.digest("survey-slip:" + code)
    assert codes.digest(code) not in {
        hashlib.sha256(code.encode()).hexdigest(),
        hashlib.sha256(("survey-slip:" + code).encode()).hexdigest(),
    }
