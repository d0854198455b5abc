"""Personal data at rest: AES-GCM encryption for values, keyed HMAC digests to find them again."""

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

_PREFIX = "v1:"


@cache
def _key() -> bytes:
    material = settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY
    return hashlib.sha256(("xtm-field-encryption:" + material).encode()).digest()


@cache
def _cipher() -> AESGCM:
    return AESGCM(_key())


def encrypt(value: str) -> str:
    nonce = os.urandom(12)
    sealed = _cipher().encrypt(nonce, value.encode(), None)
    return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    raw = base64.urlsafe_b64decode(token.removeprefix(_PREFIX))
    return _cipher().decrypt(raw[:12], raw[12:], None).decode()


@cache
def _keyed() -> hmac.HMAC:
    return hmac.new(_key(), digestmod=hashlib.sha256)


def digest(value: str) -> str:
    """A stable keyed fingerprint: lets us find or de-duplicate a value without storing it in clear."""
    keyed = _keyed().copy()  # the key already mixed in: a copy costs a fifth of a new HMAC (imports make many)
    keyed.update(value.encode())
    return keyed.hexdigest()


class EncryptedCharField(models.TextField):
    """Stores a short string encrypted; reads it back in clear. It cannot be filtered on: use a digest."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
