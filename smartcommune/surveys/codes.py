"""One-time slip codes: short, unambiguous when read aloud or typed, with a check character.

A code is 7 random characters and 1 check character from a 31-character alphabet without 0/O, 1/I/L
(31^7 ≈ 2.8 × 10^10 codes), printed as "ABCD-EFG7". The check character (weighted sum modulo 31,
a prime) catches every single wrong character and every swap of two neighbours, so a typing mistake
is told apart from a code that does not exist without asking the database.

Only the keyed digest of a code is stored (HMAC with the server's key, core.crypto.digest): whoever
reads the database or a backup cannot answer in a household's place with an unused code, and cannot
turn a digest back into a code without the key.
"""

import secrets

from smartcommune.core import crypto

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BODY = 7
LENGTH = BODY + 1
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
_SEPARATORS = str.maketrans("", "", " -._\t")


def check_character(body: str) -> str:
    # Weights 2…8 for the body and 1 for the check character; the weighted sum of a code is 0 mod 31.
    total = sum((position + 2) * _INDEX[ch] for position, ch in enumerate(body))
    return ALPHABET[-total % len(ALPHABET)]


def generate(rng: secrets.SystemRandom | None = None) -> str:
    """A new code (without the dash). `rng` lets the demo make the same codes every run."""
    choose = (rng or secrets.SystemRandom()).choice
    body = "".join(choose(ALPHABET) for _ in range(BODY))
    return body + check_character(body)


def normalize(text: str) -> str | None:
    """The code a person typed, as stored ("abcd efg7" -> "ABCDEFG7"), or None when it cannot be one:
    wrong length, a character outside the alphabet or a wrong check character."""
    code = (text or "").upper().translate(_SEPARATORS)
    if len(code) != LENGTH or any(ch not in _INDEX for ch in code):
        return None
    if check_character(code[:BODY]) != code[BODY]:
        return None
    return code


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def digest(code: str) -> str:
    return crypto.digest("survey-slip:" + code)
