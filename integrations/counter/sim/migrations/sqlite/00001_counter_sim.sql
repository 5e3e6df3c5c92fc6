-- +goose Up
-- The simulated counter acceptance and dispatch core (综合柜员制受理 +
-- 审核调度); see the MySQL file for the meaning of each table.
CREATE TABLE csim_cases (
    id                INTEGER  PRIMARY KEY AUTOINCREMENT,
    case_no           TEXT     NOT NULL UNIQUE,
    application_id    TEXT     NOT NULL UNIQUE,
    matter_code       TEXT     NOT NULL,
    matter_name       TEXT     NOT NULL,
    requested_matter  TEXT     NOT NULL,
    generic           INTEGER  NOT NULL DEFAULT 0,
    applicant_kind    TEXT     NOT NULL,
    applicant_ref     TEXT     NOT NULL,
    applicant_display TEXT     NOT NULL,
    channel           TEXT     NOT NULL,
    bundle_id         TEXT     NOT NULL DEFAULT '',
    form              TEXT     NOT NULL,
    materials         TEXT     NOT NULL,
    prereqs_claimed   TEXT     NOT NULL,
    prereqs_pending   TEXT     NOT NULL,
    status            TEXT     NOT NULL,
    step              TEXT     NOT NULL,
    comment           TEXT     NOT NULL DEFAULT '',
    supply_hash       TEXT     NOT NULL DEFAULT '',
    last_seq          INTEGER  NOT NULL DEFAULT 0,
    accepted_at       DATETIME NOT NULL,
    promised_by       TEXT     NOT NULL,
    finished_at       DATETIME NULL
);
CREATE INDEX csim_cases_applicant ON csim_cases (applicant_ref, matter_code, status);

CREATE TABLE csim_tasks (
    id         INTEGER  PRIMARY KEY AUTOINCREMENT,
    case_id    INTEGER  NOT NULL REFERENCES csim_cases (id),
    step       TEXT     NOT NULL,
    step_name  TEXT     NOT NULL,
    role       TEXT     NOT NULL,
    office     TEXT     NOT NULL,
    state      TEXT     NOT NULL,
    claimed_by TEXT     NULL,
    claimed_at DATETIME NULL,
    locked     INTEGER  NOT NULL DEFAULT 0,
    outcome    TEXT     NOT NULL DEFAULT '',
    done_by    TEXT     NOT NULL DEFAULT '',
    done_at    DATETIME NULL,
    comment    TEXT     NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX csim_tasks_pool ON csim_tasks (state, role, claimed_by);
CREATE INDEX csim_tasks_case ON csim_tasks (case_id, state);
CREATE INDEX csim_tasks_done_by ON csim_tasks (done_by, done_at);

CREATE TABLE csim_events (
    id             INTEGER  PRIMARY KEY,
    case_id        INTEGER  NOT NULL,
    case_no        TEXT     NOT NULL,
    application_id TEXT     NOT NULL,
    seq            INTEGER  NOT NULL,
    kind           TEXT     NOT NULL,
    status         TEXT     NOT NULL,
    step           TEXT     NOT NULL,
    step_name      TEXT     NOT NULL,
    office         TEXT     NOT NULL,
    staff          TEXT     NOT NULL,
    comment        TEXT     NOT NULL,
    promised_by    TEXT     NOT NULL,
    at             DATETIME NOT NULL,
    delivered_at   DATETIME NULL,
    UNIQUE (case_id, seq)
);

CREATE TABLE csim_deliveries (
    event_id   INTEGER  PRIMARY KEY,
    case_id    INTEGER  NOT NULL,
    seq        INTEGER  NOT NULL,
    attempts   INTEGER  NOT NULL DEFAULT 0,
    next_at    DATETIME NOT NULL,
    last_error TEXT     NOT NULL DEFAULT ''
);
CREATE INDEX csim_deliveries_case ON csim_deliveries (case_id, seq);
CREATE INDEX csim_deliveries_next ON csim_deliveries (next_at);

CREATE TABLE csim_sequences (
    name  TEXT    NOT NULL PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO csim_sequences (name, value) VALUES ('event', 0);

-- +goose Down
DROP TABLE csim_sequences;
DROP TABLE csim_deliveries;
DROP TABLE csim_events;
DROP TABLE csim_tasks;
DROP TABLE csim_cases;
