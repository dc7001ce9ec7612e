"""Personal data at rest: authenticated encryption and a keyed blind index (G2).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under
settings.DATA_ENCRYPTION_KEYS, newest first, so keys can be rotated: new values use
the first key, old ones stay readable until `rotate_data_keys` re-encrypts them.
Lookups (an ID number typed into a search box) go through an HMAC of the
normalised value, never through the plaintext.
"""

import base64
import hashlib
import hmac
import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from cms.core.identifiers import normalize_code

__all__ = ["InvalidToken", "blind_index", "decrypt", "encrypt", "rotate"]


def _derived(purpose: str) -> bytes:
    """A development key derived from SECRET_KEY (production sets real keys)."""
    return hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()


@cache
def _fernet() -> MultiFernet:
    keys = settings.DATA_ENCRYPTION_KEYS or [
        base64.urlsafe_b64encode(_derived("data-encryption")).decode()
    ]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _hash_key() -> bytes:
    return settings.DATA_HASH_KEY.encode() or _derived("data-hash")


def encrypt(value) -> str:
    """Encrypt any JSON-serialisable value to a text token."""
    payload = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _fernet().encrypt(payload.encode()).decode()


def decrypt(token: str):
    """Decrypt a token made by encrypt(); raises InvalidToken if it was altered."""
    return json.loads(_fernet().decrypt(token.encode()))


def rotate(token: str) -> str:
    """Re-encrypt a token under the newest key."""
    return _fernet().rotate(token.encode()).decode()


def blind_index(value: str) -> str:
    """Keyed hash of a normalised identifier, for exact lookups.

    Normalised as the ID field normalises what it stores (NFKC, no spaces,
    upper case), so a number typed with full-width digits finds the record.
    """
    normalised = normalize_code(value)
    return hmac.new(_hash_key(), normalised.encode(), hashlib.sha256).hexdigest()
