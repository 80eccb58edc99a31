"""One LRS's statements resource: its address, the credentials, and a batch posted with retries."""

from __future__ import annotations

import base64
import http.client
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from ... import __version__
from .. import xapi
from ._answers import SPLIT, Answer, LRSError, failure, ids, refusal
from ._export import dumps
from ._retry import Budget, Failed, retry_after
from ._transport import Deadline, opener

TRIES = 6
#: Seconds one request may take in all, from connecting to the answer's last byte.
DEADLINE = 60.0
#: Seconds a whole push may spend on failed requests, retries and the waits between them.
RETRY_BUDGET = 300.0
#: An answer is a list of statement ids: more than this is not read.
_ANSWER_BYTES = 16 * 2**20


def statements_url(endpoint: str) -> str:
    """The statements resource of the LRS at ``endpoint`` (``.../statements`` is added once).

    Credentials in the address are refused: it is written into every cursor file.
    """
    parts = urllib.parse.urlsplit(endpoint.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) address: {endpoint}")
    if parts.username is not None or parts.password is not None:
        raise ValueError("give the credentials apart, not in the address: it goes into the cursors")
    path = parts.path.rstrip("/")
    if not path.endswith("/statements"):
        path += "/statements"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def basic_auth(user: str, password: str) -> str:
    """The ``Authorization`` header for a user name and password."""
    pair = f"{user}:{password}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


def token_auth(token: str) -> str:
    """The ``Authorization`` header for a token: a bearer token, or a ready ``Basic ...`` one
    as LRSs hand out for a key and secret."""
    token = token.strip()
    scheme = token.split(" ", 1)[0].lower()
    return token if scheme in ("basic", "bearer") else f"Bearer {token}"


class Client:
    """One LRS's statements resource, and the retry budget of the push that uses it.

    ``deadline`` bounds each request, ``budget`` the time the push loses to requests that
    failed and to the waits after them, in all; ``sleep`` waits between tries (tests pass
    their own: what it is asked to wait is what the budget counts).
    """

    def __init__(
        self,
        endpoint: str,
        authorization: str,
        *,
        tries: int = TRIES,
        deadline: float = DEADLINE,
        budget: float = RETRY_BUDGET,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = statements_url(endpoint)
        self._headers = {
            "Authorization": authorization,
            "Content-Type": "application/json",
            "X-Experience-API-Version": xapi.XAPI_VERSION,
            "User-Agent": f"guessfirst/{__version__}",
        }
        self._tries = tries
        self._deadline = deadline
        self._budget = Budget(budget)
        self._sleep = sleep

    def post(self, statements: list[dict]) -> Answer:
        """Post one batch; retry on 429, 5xx, malformed answers and network errors, waiting
        longer each time, as long as the budget allows.

        Returns a 2xx answer, or a 409 or 413 for the caller to split the batch on; raises
        LRSError for anything else, after the last try, and when the next wait does not
        fit in the budget: the push then stops at once instead of sleeping first.
        """
        body = dumps(statements)
        attempt = 1
        while True:
            seconds = self._budget.limit(self._deadline)
            started = time.monotonic()
            outcome = self._try(body, statements, seconds)
            if isinstance(outcome, Answer):
                return outcome
            # A healthy LRS's time is its own: the budget counts what failures cost.
            self._budget.spent += time.monotonic() - started
            if attempt == self._tries:
                raise LRSError(
                    f"no answer from the LRS after {self._tries} tries: {outcome.reason}"
                )
            self._sleep(self._budget.wait(attempt, outcome))
            attempt += 1

    def _try(self, body: bytes, statements: list[dict], seconds: float) -> Answer | Failed:
        """One try: the answer, or why it failed when another try may pass; LRSError when
        no other try would."""
        try:
            return self._exchange(body, seconds)
        except urllib.error.HTTPError as exc:
            if exc.code in SPLIT:
                return Answer(exc.code, None)
            if exc.code != 429 and exc.code < 500:
                raise refusal(exc, statements) from None
            failed = Failed(f"{exc.code} {exc.reason}", retry_after(exc.headers.get("Retry-After")))
            exc.close()
            return failed
        except (OSError, http.client.HTTPException) as exc:
            cause = getattr(exc, "reason", exc)
            if isinstance(cause, ssl.SSLCertVerificationError):
                raise LRSError(f"the LRS's certificate is not trusted: {cause}") from None
            return Failed(failure(cause, seconds))

    def _exchange(self, body: bytes, seconds: float) -> Answer:
        """One request and all of its answer, within ``seconds``; HTTPError for a non-2xx."""
        deadline = Deadline(seconds)
        # statements_url admitted only http and https.
        request = urllib.request.Request(self.url, body, self._headers, method="POST")  # noqa: S310
        with opener(deadline).open(request, timeout=seconds) as response:
            data = response.read(_ANSWER_BYTES)
            if response.length:  # read(amount) does not say when the answer broke off
                raise http.client.IncompleteRead(data, response.length)
            return Answer(response.status, ids(data))
