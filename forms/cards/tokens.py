"""Signed card tokens: ``base64url(payload) "." base64url(Ed25519 signature)``.

The payload is compact JSON holding the key id, the card serial, the tier code,
the expiry date and the masked name, nothing else (docs/cards.md). Keys come from
settings.CARD_SIGNING_KEYS, newest first: new tokens use the first, every listed
key still verifies, so a key is retired by removing it.
"""

import base64
import binascii
import datetime
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

# Tokens longer than this are refused before any decoding work.
MAX_TOKEN_LENGTH = 600
VERSION = 1


class BadToken(Exception):
    """The token is malformed, signed by an unknown key or altered."""


@dataclass(frozen=True)
class CardClaims:
    key_id: str
    serial: str
    tier: str
    expires: datetime.date | None
    masked_name: str


def b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """Derived from the public key, so configuration holds only the seeds."""
    return b64encode(hashlib.sha256(_raw_public(key)).digest())[:8]


@lru_cache(maxsize=4)
def _keys_for(
    seeds: tuple[str, ...], secret: str
) -> tuple[tuple[str, Ed25519PrivateKey], ...]:
    if not seeds:
        # Development and tests: a fixed key derived from SECRET_KEY.
        seeds = (b64encode(hashlib.sha256(f"card-signing:{secret}".encode()).digest()),)
    keys = []
    for seed in seeds:
        private = Ed25519PrivateKey.from_private_bytes(b64decode(seed.strip()))
        keys.append((key_id(private.public_key()), private))
    return tuple(keys)


def signing_keys() -> tuple[tuple[str, Ed25519PrivateKey], ...]:
    return _keys_for(tuple(settings.CARD_SIGNING_KEYS), settings.SECRET_KEY)


def public_keys() -> list[dict]:
    """The verification keys as JWK (RFC 8037 OKP), newest first."""
    return [
        {
            "kty": "OKP",
            "crv": "Ed25519",
            "alg": "EdDSA",
            "use": "sig",
            "kid": kid,
            "x": b64encode(_raw_public(private.public_key())),
        }
        for kid, private in signing_keys()
    ]


def sign(
    serial: str, tier: str, expires: datetime.date | None, masked_name: str
) -> str:
    kid, private = signing_keys()[0]
    payload = {
        "v": VERSION,
        "k": kid,
        "s": serial,
        "t": tier,
        "e": expires.isoformat() if expires else "",
        "n": masked_name,
    }
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return f"{b64encode(data)}.{b64encode(private.sign(data))}"


def verify(token: str) -> CardClaims:
    """The claims of a genuine token; BadToken for anything else."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise BadToken("length")
    body, dot, signature = token.partition(".")
    if not dot or not body or not signature:
        raise BadToken("shape")
    try:
        data = b64decode(body)
        signature_bytes = b64decode(signature)
        payload = json.loads(data.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise BadToken("encoding") from error
    if not isinstance(payload, dict) or payload.get("v") != VERSION:
        raise BadToken("version")
    keys = dict(signing_keys())
    private = keys.get(payload.get("k"))  # type: ignore[arg-type]
    if private is None:
        raise BadToken("unknown key")
    try:
        private.public_key().verify(signature_bytes, data)
    except InvalidSignature as error:
        raise BadToken("signature") from error
    try:
        expiry = payload["e"]
        claims = CardClaims(
            key_id=str(payload["k"]),
            serial=str(payload["s"]),
            tier=str(payload["t"]),
            expires=datetime.date.fromisoformat(expiry) if expiry else None,
            masked_name=str(payload["n"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BadToken("claims") from error
    return claims
