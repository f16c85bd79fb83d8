"""Signing in to the upload pages: the upload token given once in a form, then a signed session cookie, and the
token every form that changes something must carry back (cross-site request forgery protection).

The cookie holds no secret: a random session number, the time it was issued and a signature (HMAC-SHA256). The
signing key is derived from a random secret made when the server starts and from the upload token, so changing
the token or restarting the server ends every session. The cookie is ``HttpOnly`` (no script reads it) and
``SameSite=Strict`` (a browser never sends it with a request another site starts), and ``Secure`` when the page
came over HTTPS. Each form that changes something carries a token derived from the session (``csrf``), checked
with a constant-time comparison; the sign-in form, which has no session yet, is guarded by the request's origin.

>>> sessions = UploadSessions("s3cret")
>>> session = sessions.read(sessions.issue())
>>> sessions.csrf_matches(session, session.csrf), sessions.csrf_matches(session, "forged")
(True, False)
>>> sessions.read("1.2.forged") is None
True
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

COOKIE = "govgraph_upload"
#: How long signing in lasts.
LIFETIME_S = 8 * 3600
#: Failed sign-ins allowed from one address per minute; more are refused until the minute has passed.
FAILURES_PER_MINUTE = 5


@dataclass(frozen=True)
class Session:
    """One signed-in browser: its random number, when it signed in, and the token its forms carry."""

    id: str
    issued: int
    csrf: str


class UploadSessions:
    """Sessions of the upload pages, for the server's upload token (``None`` or empty: uploads are off)."""

    def __init__(self, token: str | None, *, lifetime_s: int = LIFETIME_S) -> None:
        self._token = token or None
        self.lifetime_s = lifetime_s
        self._key = hmac.new(secrets.token_bytes(32), (token or "").encode(), hashlib.sha256).digest()
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._token is not None

    def token_matches(self, given: str) -> bool:
        """Whether ``given`` is the upload token (compared in constant time)."""
        return self.enabled and secrets.compare_digest(given.strip().encode(), self._token.encode())

    def issue(self) -> str:
        """A new session's cookie value."""
        body = f"{secrets.token_urlsafe(18)}.{int(time.time())}"
        return f"{body}.{self._sign('session', body)}"

    def read(self, cookie: str | None) -> Session | None:
        """The session a cookie value stands for; ``None`` if there is none, or it is forged or has expired."""
        if not self.enabled or not cookie or cookie.count(".") != 2:
            return None
        number, issued, signature = cookie.split(".")
        body = f"{number}.{issued}"
        if not secrets.compare_digest(signature.encode(), self._sign("session", body).encode()):
            return None
        if not issued.isdigit() or time.time() - int(issued) > self.lifetime_s:
            return None
        return Session(number, int(issued), self._sign("csrf", number))

    def csrf_matches(self, session: Session, given: str | None) -> bool:
        return bool(given) and secrets.compare_digest(given.encode(), session.csrf.encode())

    def may_try(self, client: str) -> bool:
        """Whether ``client`` (an address) may try the token again: at most :data:`FAILURES_PER_MINUTE` failures
        a minute, so the token cannot be guessed by trying many."""
        with self._lock:
            recent = self._failures.get(client)
            if recent is None:
                return True
            while recent and time.monotonic() - recent[0] > 60:
                recent.popleft()
            return len(recent) < FAILURES_PER_MINUTE

    def failed(self, client: str) -> None:
        with self._lock:
            if len(self._failures) > 10_000:  # bounded: an address's record is only needed for a minute
                self._failures.clear()
            self._failures.setdefault(client, deque()).append(time.monotonic())

    def _sign(self, purpose: str, text: str) -> str:
        digest = hmac.new(self._key, f"{purpose}:{text}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")
