"""Personal data at rest (G2): the rules live in cms.core.crypto, where accounts
use them too; the applications keep importing them from here."""

from cms.core.crypto import (  # noqa: F401 (re-exported)
    InvalidToken,
    _fernet,
    blind_index,
    decrypt,
    encrypt,
    rotate,
)

__all__ = ["InvalidToken", "blind_index", "decrypt", "encrypt", "rotate"]
