"""The sittings ledger: a table of its own in the gradebook (nbgrader's database, SQLite or
PostgreSQL), one row per candidate and sitting, from the form issued to the hand-in and HR's decision
on a late one. Counting a candidate's rows across exam runs is counting their attempts, so every
sitting of a certification must use the same gradebook. nbgrader's own tables are left untouched."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Column, MetaData, String, Table, Text, select

METADATA = MetaData()
SITTINGS = Table(
    "perfcomm_sitting", METADATA,
    Column("sitting", String(64), primary_key=True),      # the sitting's id, kept in exam/sitting.json
    Column("candidate", String(128), primary_key=True),
    Column("exam", String(128), nullable=False, index=True),
    Column("label", String(256), nullable=False),         # what HR called it: the forms' seed
    Column("workdir", Text, nullable=False),
    Column("issued_at", String(40), nullable=False),      # ISO 8601, UTC
    Column("rules", Text, nullable=False),                # JSON: window and time limit of the form
    Column("handed_in", String(40)),
    Column("handed_in_source", String(64)),
    Column("started", String(40)),
    Column("findings", Text),                             # JSON list: what breaks the rules, [] for none
    Column("decision", String(16)),                       # accepted | rejected | NULL (none yet)
    Column("decided_at", String(40)),
    Column("decided_by", String(128)),
)


@dataclass(frozen=True)
class Entry:
    sitting: str
    candidate: str
    exam: str
    label: str
    issued_at: str
    rules: dict
    handed_in: str | None
    handed_in_source: str | None
    started: str | None
    findings: list
    decision: str | None
    decided_at: str | None
    decided_by: str | None


def _entry(row) -> Entry:
    data = dict(row._mapping)
    data.pop("workdir")
    data["rules"] = json.loads(data["rules"])
    data["findings"] = json.loads(data["findings"]) if data["findings"] else []
    return Entry(**data)


def ensure(engine) -> None:
    METADATA.create_all(engine, checkfirst=True)


def history(engine, exam: str, candidate: str) -> list[Entry]:
    """Every sitting of this exam the candidate was given a form for, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(select(SITTINGS).where(SITTINGS.c.exam == exam,
                                                         SITTINGS.c.candidate == candidate))
        return sorted((_entry(r) for r in rows), key=lambda e: e.issued_at)


def entries(engine, sitting: str) -> dict[str, Entry]:
    with engine.connect() as connection:
        return {r.candidate: _entry(r) for r in connection.execute(select(SITTINGS).where(
            SITTINGS.c.sitting == sitting))}


def issued(engine, sitting: str, exam: str, label: str, workdir: str, when: str, rules: dict,
           candidates: list[str]) -> None:
    """Record the forms of a sitting; a form built again for the same sitting is the same attempt."""
    with engine.begin() as connection:
        known = set(connection.execute(select(SITTINGS.c.candidate).where(SITTINGS.c.sitting == sitting))
                    .scalars())
        for candidate in candidates:
            if candidate in known:
                connection.execute(SITTINGS.update().where(SITTINGS.c.sitting == sitting,
                                                           SITTINGS.c.candidate == candidate)
                                   .values(rules=json.dumps(rules), label=label))
            else:
                connection.execute(SITTINGS.insert().values(sitting=sitting, candidate=candidate, exam=exam,
                                                            label=label, workdir=workdir, issued_at=when,
                                                            rules=json.dumps(rules)))


def handed_in(engine, sitting: str, candidate: str, when: str, source: str, started: str | None,
              findings: list[str]) -> bool:
    """Record a hand-in. A decision HR made stands only for the same hand-in: True when a new hand-in
    time cleared it."""
    with engine.begin() as connection:
        row = connection.execute(select(SITTINGS).where(SITTINGS.c.sitting == sitting,
                                                        SITTINGS.c.candidate == candidate)).first()
        if row is None:
            return False
        values = {"handed_in": when, "handed_in_source": source, "started": started,
                  "findings": json.dumps(findings, ensure_ascii=False)}
        cleared = row.decision is not None and (row.handed_in != when or not findings)
        if cleared:
            values.update(decision=None, decided_at=None, decided_by=None)
        connection.execute(SITTINGS.update().where(SITTINGS.c.sitting == sitting,
                                                   SITTINGS.c.candidate == candidate).values(**values))
        return cleared and bool(findings)


def decide(engine, sitting: str, candidate: str, decision: str, when: str, who: str) -> None:
    with engine.begin() as connection:
        connection.execute(SITTINGS.update().where(SITTINGS.c.sitting == sitting,
                                                   SITTINGS.c.candidate == candidate)
                           .values(decision=decision, decided_at=when, decided_by=who))
