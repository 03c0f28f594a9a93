"""One sitting of the exam in a work directory (exam/sitting.json): which attempt it is for each
candidate, when each candidate handed in against the sitting's rules, and HR's decisions on late
hand-ins. The record itself lives in the gradebook (ledger.py), so attempts add up across sittings
that share a gradebook. Every message names the candidate and says what HR can do."""

from __future__ import annotations

import getpass
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import ledger
from ..grading.collect import STAMP_SOURCE
from .window import RuleError, Rules, findings

SITTING_FILE = "sitting.json"
ACCEPTED, REJECTED = "accepted", "rejected"


@dataclass(frozen=True)
class Sitting:
    id: str
    exam: str
    label: str          # the forms' seed: HR's name for the sitting
    rules: Rules
    attempts: int

    def to_json(self) -> dict:
        return {"id": self.id, "exam": self.exam, "label": self.label, "attempts": self.attempts,
                **self.rules.to_json()}


def _file(workdir) -> Path:
    return workdir.root / "exam" / SITTING_FILE


def current(workdir) -> Sitting | None:
    try:
        data = json.loads(_file(workdir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Sitting(data["id"], data["exam"], data["label"], Rules.from_json(data), int(data["attempts"]))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def begin(workdir, exam: str, label: str, rules: Rules, attempts: int) -> Sitting:
    """This work directory's sitting for these forms: building forms again with the same seed is the
    same sitting (the same forms, the same attempt); a new seed is a new sitting."""
    before = current(workdir)
    same = before is not None and (before.exam, before.label) == (exam, label)
    return Sitting(before.id if same else uuid.uuid4().hex, exam, label, rules, attempts)


def _when(entry: ledger.Entry) -> str:
    return entry.issued_at[:10]


def admit(workdir, sitting: Sitting, candidates: list[str]) -> tuple[dict[str, int], list[str]]:
    """({candidate who may sit: which attempt this is}, one message per candidate over the limit)."""
    allowed, refused = {}, []
    with workdir.gradebook() as gradebook:
        ledger.ensure(gradebook.engine)
        for candidate in candidates:
            earlier = [e for e in ledger.history(gradebook.engine, sitting.exam, candidate) if e.sitting != sitting.id]
            if len(earlier) < sitting.attempts:
                allowed[candidate] = len(earlier) + 1
                continue
            listed = ", ".join(f"'{e.label}' on {_when(e)}" for e in earlier)
            refused.append(f"{candidate}: {len(earlier)} sitting(s) already ({listed}), the limit is"
                           f" {sitting.attempts} — no form built for this sitting")
    return allowed, refused


def record_forms(workdir, sitting: Sitting, candidates: list[str]) -> None:
    with workdir.gradebook() as gradebook:
        ledger.issued(gradebook.engine, sitting.id, sitting.exam, sitting.label, str(workdir.root.resolve()),
                      _now(), sitting.rules.to_json(), candidates)
    _file(workdir).parent.mkdir(parents=True, exist_ok=True)
    _file(workdir).write_text(json.dumps(sitting.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")


def _started(folder: Path) -> tuple[datetime | None, str]:
    """The start the exam notebook wrote into answers.json when the candidate first ran it."""
    try:
        value = json.loads((folder / "answers.json").read_text(encoding="utf-8")).get("started")
    except (OSError, ValueError, AttributeError):
        return None, ""
    if value is None:
        return None, ""
    try:
        started = datetime.fromisoformat(str(value))
    except ValueError:
        return None, f"start time '{str(value)[:40]}' in answers.json is unreadable; only the window is checked"
    return (started if started.tzinfo else started.replace(tzinfo=timezone.utc)), ""


def _decide_hint(candidate: str) -> str:
    return (f"held back from the results until you decide: perfcomm exam grade --accept-late {candidate}"
            f" (or --reject-late {candidate})")


def record_hand_ins(workdir, exam: str, filed: list[str], handed_in: dict) -> list[str]:
    """Check each filed hand-in against its sitting's rules and record it; lines for the collect
    report: every hand-in that breaks a rule, and where the hand-in times came from."""
    sitting = current(workdir)
    if sitting is None or sitting.exam != exam:
        return []
    lines, sources = [], {}
    with workdir.gradebook() as gradebook:
        ledger.ensure(gradebook.engine)
        entries = ledger.entries(gradebook.engine, sitting.id)
        for candidate in filed:
            when, source = handed_in[candidate]
            sources.setdefault(source, []).append(candidate)
            entry = entries.get(candidate)
            if entry is None:
                lines.append(f"  {candidate}: handed in, but was given no form in this sitting (over the attempt"
                             " limit, or not on the roster the forms were built from) — not in the results")
                continue
            rules = Rules.from_json(entry.rules)
            started, note = _started(workdir.folder("submitted") / candidate / exam)
            found = findings(rules, when, started)
            cleared = ledger.handed_in(gradebook.engine, sitting.id, candidate, when.isoformat(), source,
                                       started.isoformat() if started else None, found)
            if note:
                lines.append(f"  {candidate}: {note}")
            if found:
                again = " (handed in again: the earlier decision no longer applies)" if cleared else ""
                lines.append(f"  {candidate}: {'; '.join(found)} ({rules.time_zone}, {source}){again} —"
                             f" {_decide_hint(candidate)}")
    counts = ", ".join(f"{len(who)} from {source}" for source, who in sorted(sources.items()))
    fallback = sorted(who for source, group in sources.items() if source != STAMP_SOURCE for who in group)
    tail = f" ({', '.join(fallback)})" if fallback and len(fallback) <= 10 else ""
    head = [f"  hand-in times: {counts}{tail}"] if sources else []
    return head + lines


def decide(workdir, exam: str, accept: list[str], reject: list[str]) -> list[str]:
    """Record HR's decisions on late hand-ins of the current sitting; lines saying what was recorded."""
    both = sorted(set(accept) & set(reject))
    if both:
        raise RuleError(f"{', '.join(both)}: both accepted and rejected — name each candidate once")
    sitting = current(workdir)
    if not accept and not reject:
        return []
    if sitting is None or sitting.exam != exam:
        raise RuleError("no sitting in this work directory — build the forms with `perfcomm exam forms` first")
    lines, who, when = [], getpass.getuser(), _now()
    with workdir.gradebook() as gradebook:
        ledger.ensure(gradebook.engine)
        entries = ledger.entries(gradebook.engine, sitting.id)
        for decision, candidates in ((ACCEPTED, accept), (REJECTED, reject)):
            for candidate in candidates:
                entry = entries.get(candidate)
                if entry is None:
                    lines.append(f"{candidate}: no form in this sitting — nothing to decide")
                elif entry.handed_in is None:
                    lines.append(f"{candidate}: has not handed in — nothing to decide")
                elif not entry.findings:
                    lines.append(f"{candidate}: handed in within the rules — nothing to decide")
                else:
                    ledger.decide(gradebook.engine, sitting.id, candidate, decision, when, who)
                    was = f" (was {entry.decision})" if entry.decision and entry.decision != decision else ""
                    lines.append(f"{candidate}: late hand-in {decision}{was} — recorded {when} by {who}")
    return lines


@dataclass(frozen=True)
class Standing:
    """Whether a candidate's graded hand-in counts for this sitting's results, and why not."""
    counts: bool
    reason: str = ""
    note: str = ""      # for results.csv: e.g. the accepted late hand-in


def standing(workdir, exam: str, graded_at: dict[str, datetime | None]) -> dict[str, Standing]:
    """candidate -> Standing, for the candidates graded in the gradebook (with the hand-in time nbgrader
    recorded for each). Without a sitting record (forms built before sittings were kept) all count."""
    sitting = current(workdir)
    if sitting is None or sitting.exam != exam:
        return {}
    with workdir.gradebook() as gradebook:
        ledger.ensure(gradebook.engine)
        entries = ledger.entries(gradebook.engine, sitting.id)
    out = {}
    for candidate, stamp in graded_at.items():
        entry = entries.get(candidate)
        if entry is None or entry.handed_in is None:
            continue
        recorded = datetime.fromisoformat(entry.handed_in).astimezone(timezone.utc).replace(tzinfo=None)
        if stamp is not None and stamp != recorded:
            out[candidate] = Standing(False, f"the gradebook holds the grading of another hand-in (at {stamp} UTC),"
                                             f" not this sitting's (at {recorded} UTC) — run"
                                             " `perfcomm exam grade` in this work directory again")
        elif not entry.findings:
            out[candidate] = Standing(True)
        elif entry.decision == ACCEPTED:
            out[candidate] = Standing(True, note=f"accepted late: {'; '.join(entry.findings)}")
        elif entry.decision == REJECTED:
            out[candidate] = Standing(False, f"late hand-in rejected ({entry.decided_at} by {entry.decided_by}):"
                                             f" {'; '.join(entry.findings)} — not in the results")
        else:
            out[candidate] = Standing(False, f"{'; '.join(entry.findings)} — {_decide_hint(candidate)}")
    return out
