"""Signed card tokens: what they hold, forgery of every kind, key rotation."""

import datetime
import json

import pytest
from django.test import override_settings

from forms.cards import tokens
from tests.cards.helpers import new_key

EXPIRY = datetime.date(2030, 6, 30)


def _sign(**overrides):
    values = {
        "serial": "Ab3dEf6hIj9k",
        "tier": "tier-1",
        "expires": EXPIRY,
        "masked_name": "欧**明",
    }
    values.update(overrides)
    return tokens.sign(**values)


def _payload(token: str) -> dict:
    return json.loads(tokens.b64decode(token.split(".")[0]))


def test_a_token_round_trips_and_holds_only_the_claims():
    token = _sign()
    claims = tokens.verify(token)
    assert claims.serial == "Ab3dEf6hIj9k"
    assert claims.tier == "tier-1"
    assert claims.expires == EXPIRY
    assert claims.masked_name == "欧**明"
    assert set(_payload(token)) == {"v", "k", "s", "t", "e", "n"}
    # Compact: base64url characters and one dot, small enough for a QR code.
    assert token.count(".") == 1
    assert len(token) < 300
    assert all(c.isalnum() or c in "-_." for c in token)


def _tampered(token: str, **changes) -> str:
    payload = _payload(token)
    payload.update(changes)
    body = tokens.b64encode(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    )
    return f"{body}.{token.split('.')[1]}"


@pytest.mark.parametrize(
    "changes",
    [{"e": "2099-12-31"}, {"t": "tier-7"}, {"n": "张*"}, {"s": "another-serial"}],
)
def test_a_tampered_payload_is_refused(changes):
    token = _sign()
    with pytest.raises(tokens.BadToken):
        tokens.verify(_tampered(token, **changes))


def test_a_token_signed_with_another_key_is_refused():
    with override_settings(CARD_SIGNING_KEYS=[new_key()]):
        foreign = _sign()
    with override_settings(CARD_SIGNING_KEYS=[new_key()]):
        with pytest.raises(tokens.BadToken):
            tokens.verify(foreign)


def test_a_wrong_key_under_a_known_key_id_is_refused():
    """A forger who copies a real key id still cannot sign."""
    with override_settings(CARD_SIGNING_KEYS=[new_key()]):
        forged = _sign()
    genuine_kid = tokens.signing_keys()[0][0]
    forged_payload = _payload(forged)
    assert forged_payload["k"] != genuine_kid
    with pytest.raises(tokens.BadToken):
        tokens.verify(_tampered(forged, k=genuine_kid))


def test_an_unknown_key_id_is_refused():
    with pytest.raises(tokens.BadToken):
        tokens.verify(_tampered(_sign(), k="nokey000"))


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        ".",
        "abc",
        "abc.",
        ".abc",
        "!!!.???",
        "a" * 700,
        "eyJ2IjoxfQ.AAAA",  # {"v":1} with a bad signature
        "W10.AAAA",  # a JSON list
        tokens.b64encode(b"\xff\xfe").rstrip() + ".AAAA",
        "中文.签名",
    ],
)
def test_garbage_is_refused(garbage):
    with pytest.raises(tokens.BadToken):
        tokens.verify(garbage)


def test_a_truncated_token_is_refused():
    token = _sign()
    for cut in (len(token) - 1, len(token) - 10, len(token) // 2, 5):
        with pytest.raises(tokens.BadToken):
            tokens.verify(token[:cut])


def test_the_old_key_verifies_until_removed():
    old, new = new_key(), new_key()
    with override_settings(CARD_SIGNING_KEYS=[old]):
        old_token = _sign()
    with override_settings(CARD_SIGNING_KEYS=[new, old]):
        assert tokens.verify(old_token).serial == "Ab3dEf6hIj9k"
        new_token = _sign()
        # New tokens use the newest key.
        assert _payload(new_token)["k"] == tokens.signing_keys()[0][0]
        assert _payload(new_token)["k"] != _payload(old_token)["k"]
        assert [key["kid"] for key in tokens.public_keys()] == [
            _payload(new_token)["k"],
            _payload(old_token)["k"],
        ]
    with override_settings(CARD_SIGNING_KEYS=[new]):
        assert tokens.verify(new_token).serial == "Ab3dEf6hIj9k"
        with pytest.raises(tokens.BadToken):
            tokens.verify(old_token)


def test_development_derives_a_fixed_key():
    with override_settings(CARD_SIGNING_KEYS=[]):
        first = tokens.public_keys()
        assert len(first) == 1
    with override_settings(CARD_SIGNING_KEYS=[]):
        assert tokens.public_keys() == first
    with override_settings(CARD_SIGNING_KEYS=[], SECRET_KEY="another-secret-" * 4):
        assert tokens.public_keys() != first
