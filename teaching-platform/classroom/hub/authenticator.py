"""The hub's login: each student's own code or password (NativeAuthenticator), no sign-up.

:class:`ClassAuthenticator` is JupyterHub's NativeAuthenticator (jupyterhub-nativeauthenticator,
maintained by the JupyterHub team; bcrypt hashes in the hub's database, a lock after repeated
failed logins, a page where a student changes their password, one where an admin resets one)
with these changes for a class:

- accounts come from the roster, not from a sign-up form (sign-up is off): the codes that
  ``course hub`` issues (:mod:`classroom.hub.accounts`) are applied at start and before every
  login, so a reset made while the hub runs works at once and lifts that student's lock;
- after :attr:`allowed_failed_logins` failed logins in a row for one name, that name may try
  once per :attr:`seconds_before_next_try` (a guess at a 59-bit code then takes longer than
  the universe has existed); the lock is per name, so a student who types someone else's name
  five times locks that name for a minute, which the instructor lifts with a reset;
- the hash is checked off the hub's event loop, so a class logging in at once is not served
  one bcrypt at a time, and an unknown name costs a check too (the time taken does not tell
  which names exist);
- the login page is posted through JupyterHub's own ``login_user`` (NativeAuthenticator 1.3.0's
  handler uses JupyterHub's statsd client, which JupyterHub 6 removed), and a password longer
  than bcrypt's 72 bytes is refused like a wrong one (bcrypt 5 raises an error there).

Examples
--------
>>> ClassAuthenticator.class_traits()["enable_signup"].default_value
False
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import bcrypt
from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.handlers import LoginHandler
from nativeauthenticator.orm import UserInfo
from traitlets import Bool, Unicode, default

from classroom.hub.accounts import pending_codes

__all__ = ["ClassAuthenticator"]

_BCRYPT_LIMIT = 72
#: Checked when a name does not exist, so a failed login takes as long either way (the hash of
#: a random secret nobody kept, at the cost of a login code's hash).
_DECOY = b"$2b$10$hZXi5T78wBwaBPtgZmZ6y.dnvXHx6an5prw0YPYqV0Gh7YDdKa9ga"


def _checks(password: str, stored: bytes) -> bool:
    """Whether ``password`` matches the bcrypt hash ``stored``.

    Examples
    --------
    >>> _checks("right", bcrypt.hashpw(b"right", bcrypt.gensalt(4)))
    True
    """
    try:
        return bcrypt.checkpw(password.encode("utf-8", "surrogatepass"), stored)
    except ValueError:  # not a hash, or a password bcrypt refuses
        return False


def _too_long(password: object) -> bool:
    """Whether bcrypt would refuse ``password`` (more than 72 bytes).

    Examples
    --------
    >>> _too_long("x" * 72), _too_long("é" * 37)
    (False, True)
    """
    return len(str(password).encode("utf-8", "surrogatepass")) > _BCRYPT_LIMIT


class _LoginHandler(LoginHandler):
    """NativeAuthenticator's login page, posted through JupyterHub's own ``login_user``.

    NativeAuthenticator 1.3.0's handler times logins with JupyterHub's statsd client, which
    JupyterHub 6 removed ("remove largely unused statsd metrics", 2026), and renders error
    pages with a signature JupyterHub 6 no longer calls; an overlong password (bcrypt 5 raises
    an error past 72 bytes) is a failed login here, not a server error.
    """

    def _render(self, login_error: str | None = None, username: str | None = None,
                **_ignored: object):  # noqa: ANN202 - an awaitable page
        return super()._render(login_error=login_error, username=username)

    async def post(self) -> None:
        data = {arg: self.get_argument(arg, strip=False) for arg in self.request.arguments}
        user = None if _too_long(data.get("password", "")) else await self.login_user(data)
        if user:
            self._jupyterhub_user = user
            self.redirect(self.get_next_url(user))
            return
        self.finish(await self._render(login_error="Invalid username or password.",
                                       username=data.get("username", "")))


class ClassAuthenticator(NativeAuthenticator):
    """NativeAuthenticator fed from the roster's login codes (see the module docstring)."""

    state_dir = Unicode(config=True, help="The hub's folder, holding login-codes/.")
    enable_signup = Bool(False, config=True, help="Accounts come from the roster.")

    @default("allowed_failed_logins")
    def _failed_logins_default(self) -> int:
        return 5

    @default("seconds_before_next_try")
    def _wait_default(self) -> int:
        return 60

    @default("minimum_password_length")
    def _length_default(self) -> int:
        return 10

    @default("check_common_password")
    def _common_default(self) -> bool:
        return True

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.apply_codes()

    def apply_codes(self) -> list[str]:
        """Store every issued code of a student on the roster; the names applied."""
        if not self.state_dir:
            return []
        done = []
        for name, (path, hashed) in pending_codes(Path(self.state_dir)).items():
            if name not in self.allowed_users:
                self.log.warning("login code for %s ignored: not on the roster", name)
                continue
            info = UserInfo.find(self.db, name)
            if info is None:
                self.db.add(UserInfo(username=name, password=hashed, is_authorized=True))
            else:
                info.password, info.is_authorized = hashed, True
            self.db.commit()
            path.unlink(missing_ok=True)
            self.login_attempts.pop(name, None)
            done.append(name)
        if done:
            self.log.info("login codes applied for %s", ", ".join(done))
        return done

    async def authenticate(self, handler: object, data: dict) -> str | None:
        """NativeAuthenticator's check, with fresh codes applied and bcrypt off the event loop.

        The hash is checked in a worker thread (bcrypt releases the GIL), so one login does not
        hold up the hub's other requests; a name that does not exist costs a check too, so the
        time taken does not tell which names exist.
        """
        self.apply_codes()
        name = self.normalize_username(str(data.get("username", "")))
        password = str(data.get("password", ""))
        info = self.get_user(name) if not _too_long(password) else None
        stored = info.password if info is not None and info.is_authorized else _DECOY
        if info is not None and self.allowed_failed_logins and self.is_blocked(name):
            return None
        matches = await asyncio.to_thread(_checks, password, stored)
        if info is not None and stored is not _DECOY and matches:
            self.successful_login(name)
            return name
        if info is not None:
            self.add_login_attempt(name)
        return None

    def change_password(self, username: str, new_password: str) -> bool | None:
        """A new password of at most 72 bytes (bcrypt's limit), else refused."""
        if _too_long(new_password):
            return None
        return super().change_password(username, new_password)

    def get_handlers(self, app: object) -> list[tuple[str, type]]:
        """NativeAuthenticator's pages, with the login page of :class:`_LoginHandler`."""
        return [(r"/login", _LoginHandler) if route == r"/login" else (route, handler)
                for route, handler in super().get_handlers(app)]
