"""guessfirst events as xAPI 1.0.3 statements, for a school's Learning Record Store.

Pure mapping, no network: the same events always give the same statements, and each
statement's ``id`` is a UUID5 of its event's id, so exporting a log again (or two collected
copies of it) stores nothing twice in an LRS. Project verbs and extensions live under
``https://guessfirst.org/xapi/``; they are identifiers, not pages to fetch.

ADL verbs are ``http://adlnet.gov/expapi/verbs/<name>``, project (*) ones
``https://guessfirst.org/xapi/verbs/<name>``; extensions are
``https://guessfirst.org/xapi/extensions/<name>``.

| event | verb | object | result | result extensions |
| --- | --- | --- | --- | --- |
| shown | no statement | | | |
| attempt | answered | question | success, response, duration | attempt, confidence, misconception |
| reveal | experienced | worked example | | attempt (attempts before it) |
| hint | opened-hint* | question | | hint (its number), attempt |
| reflection | commented | question | response (the text) | attempt |
| corrected | corrected* | question | success: true | attempt, errors, first-confidence |

An attempt that could not be judged in time (``correct`` null) has no ``success``, and
extension ``reason`` says why. Any event of a spaced review also has extension ``review:
true``; ``truncated: true`` marks a cut text. The worked example is ``<question>/example``,
of ADL type ``media`` (content the student reads, not an interaction).

Every statement's context has ``registration`` (a UUID5 of the kernel session), the
question version as extension ``qversion``, and the notebook as a ``lesson`` activity in
``grouping``; a part of a multi-part question (an id ``parent/part``) has its parent question
in ``parent``.

Question activities are ``<activity_base>/questions/<id>`` with the id fully percent-encoded
(a part's ``/`` too, so part ``example`` of a question cannot clash with its worked example).
``interactionType`` is the one each kind declares (``checks.Kind.interaction``): choice ->
``choice``, numeric -> ``numeric``, text and expression -> ``fill-in``, predict ->
``long-fill-in``, order -> ``sequencing`` (its response as xAPI writes one, ``1[,]0[,]2``);
code, a whole multi-part question and any unknown kind -> ``other``.
Parts are shown, and so typed, by their own kind.

``shown`` gives no statement: the student did nothing yet, and ADL's ``launched`` means an
activity was started by a launching system, which a displayed cell is not.

Actors are ``account`` agents (``homePage`` + student id), never ``mbox``: a class id is not
an email address. With ``pseudonymize=SALT`` the name is HMAC-SHA256(SALT, student id) in hex;
the teacher keeps the salt and maps names back by recomputing them for the class list, while
the LRS alone cannot.

``text=False`` withholds free text: the response to any question that is not choice or
numeric, and a reflection's text. The statements stay, so counts and timings still reach the
LRS; a choice key or a number is not free text and is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Iterable
from urllib.parse import quote

from .. import checks
from ..log import logline

XAPI_VERSION = "1.0.3"
#: The namespace of every UUID this module derives; fixed forever, or re-exports duplicate.
NAMESPACE = uuid.UUID("5f0c2d9e-7a51-4c1b-9b8e-3d6f2a4e1c07")
IRI_BASE = "https://guessfirst.org/xapi"

_ADL_VERB = "http://adlnet.gov/expapi/verbs/"
_ADL_ACTIVITY = "http://adlnet.gov/expapi/activities/"
_VERBS: dict[str, tuple[str, str]] = {
    "attempt": (_ADL_VERB + "answered", "answered"),
    "reveal": (_ADL_VERB + "experienced", "experienced"),
    "hint": (f"{IRI_BASE}/verbs/opened-hint", "opened a hint for"),
    "reflection": (_ADL_VERB + "commented", "commented"),
    "corrected": (f"{IRI_BASE}/verbs/corrected", "corrected"),
}
# Event field -> extension name, for the numbers and flags that go into result.extensions.
_RESULT_FIELDS = {
    "attempt": "attempt",
    "confidence": "confidence",
    "misconception": "misconception",
    "reason": "reason",
    "n": "hint",
    "errors": "errors",
    "first_confidence": "first-confidence",
    "review": "review",
    "truncated": "truncated",
}
_TEXT_FIELD = {"attempt": "response", "reflection": "text"}


def statements(
    events: Iterable[dict],
    *,
    activity_base: str,
    home_page: str,
    pseudonymize: str | None = None,
    text: bool = True,
) -> list[dict]:
    """One statement per distinct, valid event that a learner did, in event order.

    An event that is no valid line (see :mod:`guessfirst.log.logline`) is skipped, as every
    other reader skips it: an LRS rejects a whole batch over one invalid statement.
    """
    events = [event for event in events if logline.fault(event) is None]
    kinds = {
        event["question"]: event["kind"]
        for event in events
        if event["type"] == "shown" and isinstance(event.get("kind"), str)
    }
    base = activity_base.rstrip("/")
    seen: set[str] = set()
    out: list[dict] = []
    for event in events:
        if not _usable(event) or event["id"] in seen:
            continue
        seen.add(event["id"])
        kind = kinds.get(event["question"])
        out.append(_statement(event, kind, base, home_page, pseudonymize, text))
    return out


def _usable(event: dict) -> bool:
    """A valid event (the caller checked) that the learner did: ``shown`` is no statement."""
    return event["type"] in _VERBS


def _statement(
    event: dict,
    kind: str | None,
    base: str,
    home_page: str,
    salt: str | None,
    text: bool,
) -> dict:
    iri, display = _VERBS[event["type"]]
    statement = {
        "id": str(_uuid("event", event["id"])),
        "version": XAPI_VERSION,
        "timestamp": event["ts"],
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": home_page, "name": _name(event["student"], salt)},
        },
        "verb": {"id": iri, "display": {"en-US": display}},
        "object": _object(event, kind, base),
        "context": _context(event, base),
    }
    result = _result(event, kind, text)
    if result:
        statement["result"] = result
    return statement


def _uuid(what: str, key: str) -> uuid.UUID:
    # The prefix keeps an event id and a session id from ever naming the same UUID.
    return uuid.uuid5(NAMESPACE, f"{what}:{key}")


def _name(student: str, salt: str | None) -> str:
    if salt is None:
        return student
    key, message = (part.encode("utf-8", "surrogatepass") for part in (salt, student))
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _question_iri(base: str, question: str) -> str:
    return f"{base}/questions/{quote(question, safe='')}"


def _object(event: dict, kind: str | None, base: str) -> dict:
    question = event["question"]
    if event["type"] == "reveal":
        return {
            "objectType": "Activity",
            "id": _question_iri(base, question) + "/example",
            "definition": {
                "type": _ADL_ACTIVITY + "media",
                "name": {"en-US": f"Worked example of {question}"},
            },
        }
    declared = _declared(kind)
    return {
        "objectType": "Activity",
        "id": _question_iri(base, question),
        "definition": {
            "type": _ADL_ACTIVITY + "cmi.interaction",
            "name": {"en-US": question},
            "interactionType": declared.interaction if declared else "other",
        },
    }


def _context(event: dict, base: str) -> dict:
    context: dict = {"registration": str(_uuid("session", event["session"]))}
    activities: dict[str, list[dict]] = {}
    parent, _, part = event["question"].rpartition("/")
    if parent and part:
        activities["parent"] = [{"objectType": "Activity", "id": _question_iri(base, parent)}]
    notebook = event.get("notebook")
    if isinstance(notebook, str) and notebook:
        lesson = {
            "objectType": "Activity",
            "id": f"{base}/lessons/{quote(notebook, safe='')}",
            "definition": {"type": _ADL_ACTIVITY + "lesson", "name": {"en-US": notebook}},
        }
        activities["grouping"] = [lesson]
    if activities:
        context["contextActivities"] = activities
    if isinstance(event.get("qversion"), str):
        context["extensions"] = {f"{IRI_BASE}/extensions/qversion": event["qversion"]}
    return context


def _declared(kind: str | None) -> checks.Kind | None:
    """The kind's declaration; None for an unknown kind (a log from a newer version)."""
    found = checks.kinds().get(kind or "")
    return None if found is None else found.KIND


def _result(event: dict, kind: str | None, text: bool) -> dict:
    result: dict = {}
    if event["type"] == "attempt":
        if event["correct"] is not None:
            result["success"] = event["correct"]
        duration = _duration(event.get("latency_ms"))
        if duration is not None:
            result["duration"] = duration
    elif event["type"] == "corrected":
        result["success"] = True
    field = _TEXT_FIELD.get(event["type"])
    declared = _declared(kind)
    free = event["type"] == "reflection" or declared is None or declared.free_text
    if field and isinstance(event.get(field), str) and (text or not free):
        response = event[field]
        if field == "response" and declared is not None:
            response = checks.kinds()[declared.name].xapi_response(response)
        result["response"] = response
    extensions = {
        f"{IRI_BASE}/extensions/{name}": event[key]
        for key, name in _RESULT_FIELDS.items()
        if _is_value(event.get(key))
    }
    if extensions:
        result["extensions"] = extensions
    return result


def _is_value(value: object) -> bool:
    # review and truncated are only ever written as true; null means "not known".
    return value is not None and value is not False


def _duration(latency_ms: object) -> str | None:
    """ISO 8601 duration, as xAPI wants it: 75500 ms -> ``PT1M15.5S``."""
    if not isinstance(latency_ms, int) or isinstance(latency_ms, bool) or latency_ms < 0:
        return None
    minutes, millis = divmod(latency_ms, 60_000)
    hours, minutes = divmod(minutes, 60)
    seconds = f"{millis / 1000:.3f}".rstrip("0").rstrip(".")
    return (
        "PT"
        + (f"{hours}H" if hours else "")
        + (f"{minutes}M" if minutes else "")
        + (f"{seconds}S" if millis or not (hours or minutes) else "")
    )
