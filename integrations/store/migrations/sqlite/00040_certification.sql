-- +goose Up
-- Pension entitlement certification cycles, the events owed to the counter
-- core and the reminders sent; see the MySQL file for the meaning of each
-- table and column.
CREATE TABLE certification_cycle (
    id             TEXT     NOT NULL PRIMARY KEY,
    person_ref     TEXT     NOT NULL,
    person_sealed  TEXT     NOT NULL,
    person_display TEXT     NOT NULL,
    seq            INTEGER  NOT NULL,
    cycle_year     INTEGER  NOT NULL,
    opens_on       DATETIME NOT NULL,
    due_on         DATETIME NOT NULL,
    overdue_on     DATETIME NOT NULL,
    suspend_on     DATETIME NOT NULL,
    state          TEXT     NOT NULL,
    overdue_at     DATETIME NULL,
    suspended_at   DATETIME NULL,
    certified_at   DATETIME NULL,
    method         TEXT     NOT NULL DEFAULT '',
    channel        TEXT     NOT NULL DEFAULT '',
    actor_kind     TEXT     NOT NULL DEFAULT '',
    actor_ref      TEXT     NOT NULL DEFAULT '',
    actor_sealed   TEXT     NOT NULL DEFAULT '',
    actor_display  TEXT     NOT NULL DEFAULT '',
    relation       TEXT     NOT NULL DEFAULT '',
    evidence       TEXT     NOT NULL DEFAULT '',
    next_check_at  DATETIME NULL,
    version        INTEGER  NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    UNIQUE (person_ref, seq)
);
CREATE INDEX certification_cycle_check ON certification_cycle (next_check_at, id);
CREATE INDEX certification_cycle_actor ON certification_cycle (actor_ref);

CREATE TABLE certification_event (
    n               INTEGER  PRIMARY KEY AUTOINCREMENT,
    id              TEXT     NOT NULL UNIQUE,
    cycle_id        TEXT     NOT NULL,
    kind            TEXT     NOT NULL,
    at              DATETIME NOT NULL,
    next_attempt_at DATETIME NULL,
    attempts        INTEGER  NOT NULL DEFAULT 0,
    last_error      TEXT     NOT NULL DEFAULT '',
    forwarded_at    DATETIME NULL
);
CREATE INDEX certification_event_cycle ON certification_event (cycle_id, n);
CREATE INDEX certification_event_retry ON certification_event (next_attempt_at);

CREATE TABLE certification_reminder (
    cycle_id TEXT     NOT NULL,
    kind     TEXT     NOT NULL,
    sent_at  DATETIME NOT NULL,
    PRIMARY KEY (cycle_id, kind)
);

-- +goose Down
DROP TABLE certification_reminder;
DROP TABLE certification_event;
DROP TABLE certification_cycle;
