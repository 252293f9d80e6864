"""Secret tokens for links sent by e-mail: 256 random bits, only the SHA-256 stored."""

import hashlib
import secrets


def new_token() -> str:
    """Return a fresh URL-safe token of 256 random bits."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Return the stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()
