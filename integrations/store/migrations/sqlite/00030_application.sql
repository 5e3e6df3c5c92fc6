-- +goose Up
-- Applications, packages and the outbox; see the MySQL file for the
-- meaning of each table and column.
CREATE TABLE application (
    id                 TEXT     NOT NULL PRIMARY KEY,
    bundle_id          TEXT     NULL,
    matter_code        TEXT     NOT NULL,
    matter_name        TEXT     NOT NULL,
    situation          TEXT     NOT NULL DEFAULT '',
    applicant_kind     TEXT     NOT NULL,
    applicant_ref      TEXT     NOT NULL,
    applicant_sealed   TEXT     NOT NULL,
    applicant_display  TEXT     NOT NULL,
    acting_ref         TEXT     NOT NULL DEFAULT '',
    acting_sealed      TEXT     NOT NULL DEFAULT '',
    acting_display     TEXT     NOT NULL DEFAULT '',
    relation           TEXT     NOT NULL DEFAULT '',
    channel            TEXT     NOT NULL,
    idempotency_key    TEXT     NULL,
    form_sealed        TEXT     NOT NULL,
    materials          TEXT     NOT NULL,
    prerequisites_done TEXT     NOT NULL,
    submitted_at       DATETIME NOT NULL,
    status             TEXT     NOT NULL,
    case_no            TEXT     NULL,
    generic            INTEGER  NOT NULL DEFAULT 0,
    step               TEXT     NOT NULL DEFAULT '',
    step_name          TEXT     NOT NULL DEFAULT '',
    office             TEXT     NOT NULL DEFAULT '',
    comment            TEXT     NOT NULL DEFAULT '',
    forwarded_at       DATETIME NULL,
    accepted_at        DATETIME NULL,
    promised_by        DATETIME NULL,
    finished_at        DATETIME NULL,
    pending_prereqs    TEXT     NOT NULL,
    forward_error      TEXT     NOT NULL DEFAULT '',
    last_seq           INTEGER  NOT NULL DEFAULT 0,
    updated_at         DATETIME NOT NULL,
    UNIQUE (applicant_ref, idempotency_key),
    UNIQUE (case_no)
);
CREATE INDEX application_applicant ON application (applicant_ref, id);
CREATE INDEX application_acting ON application (acting_ref, id);
CREATE INDEX application_bundle ON application (bundle_id);

CREATE TABLE bundle (
    id              TEXT     NOT NULL PRIMARY KEY,
    code            TEXT     NOT NULL,
    name            TEXT     NOT NULL,
    applicant_ref   TEXT     NOT NULL,
    channel         TEXT     NOT NULL,
    idempotency_key TEXT     NOT NULL,
    created_at      DATETIME NOT NULL,
    UNIQUE (applicant_ref, idempotency_key)
);

CREATE TABLE outbox (
    application_id  TEXT     NOT NULL PRIMARY KEY,
    created_at      DATETIME NOT NULL,
    next_attempt_at DATETIME NOT NULL,
    attempts        INTEGER  NOT NULL DEFAULT 0,
    lease           TEXT     NOT NULL DEFAULT '',
    last_error      TEXT     NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (next_attempt_at);
CREATE INDEX outbox_created ON outbox (created_at);

-- +goose Down
DROP TABLE outbox;
DROP TABLE bundle;
DROP TABLE application;
