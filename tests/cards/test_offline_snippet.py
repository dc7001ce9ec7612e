"""The offline verification snippet of docs/cards.md, run as written."""

import datetime
import re
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from django.test import override_settings

from forms.cards import tokens
from tests.cards.helpers import approved_talent, new_key, token_of

pytestmark = pytest.mark.django_db
DOC = Path(__file__).resolve().parents[2] / "docs" / "cards.md"


def snippet():
    text = DOC.read_text(encoding="utf-8")
    marker = text.index("<!-- offline-verification")
    code = re.search(r"```python\n(.*?)```", text[marker:], re.S).group(1)
    namespace: dict = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102
    return namespace["verify_offline"]


def test_the_snippet_verifies_with_the_published_keys(client):
    verify_offline = snippet()
    old, new = new_key(), new_key()
    _user, profile = approved_talent(name="欧阳小明")
    with override_settings(CARD_SIGNING_KEYS=[old]):
        old_token = token_of(profile)
    with override_settings(CARD_SIGNING_KEYS=[new, old]):
        token = token_of(profile)
        jwks = client.get("/verify/keys.json").json()
    payload = verify_offline(token, jwks)
    assert payload["n"] == "欧**明"
    assert payload["e"] == profile.valid_until.isoformat()
    # The whole scanned address works too, and so does a token of the older key.
    assert verify_offline(f"https://hall.example/verify/{token}", jwks)["s"]
    assert verify_offline(old_token, jwks)["s"] == payload["s"]


def test_the_snippet_refuses_forgeries_and_expired_cards(client):
    verify_offline = snippet()
    _user, profile = approved_talent()
    token = token_of(profile)
    jwks = client.get("/verify/keys.json").json()
    body, signature = token.split(".")
    with pytest.raises(InvalidSignature):
        verify_offline(f"{body}.{signature[:-4]}AAAA", jwks)
    with pytest.raises(ValueError, match="unknown key"):
        verify_offline(token, {"keys": []})
    with override_settings(CARD_SIGNING_KEYS=[new_key()]):
        foreign = tokens.sign("serial", "tier-1", None, "张*")
        kid = tokens.signing_keys()[0][0]
    forged = (
        tokens.b64encode(
            tokens.b64decode(foreign.split(".")[0]).replace(
                kid.encode(), jwks["keys"][0]["kid"].encode()
            )
        )
        + "."
        + foreign.split(".")[1]
    )
    with pytest.raises(InvalidSignature):
        verify_offline(forged, jwks)
    later = profile.valid_until + datetime.timedelta(days=1)
    with pytest.raises(ValueError, match="expired"):
        verify_offline(token, jwks, today=later)
