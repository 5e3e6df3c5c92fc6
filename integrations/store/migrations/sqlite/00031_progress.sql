-- +goose Up
-- The timeline of every case and the polling cursor; see the MySQL file.
CREATE TABLE progress_event (
    event_id       TEXT     NOT NULL PRIMARY KEY,
    application_id TEXT     NOT NULL,
    case_no        TEXT     NOT NULL,
    seq            INTEGER  NOT NULL,
    kind           TEXT     NOT NULL,
    status         TEXT     NOT NULL,
    step           TEXT     NOT NULL,
    step_name      TEXT     NOT NULL,
    office         TEXT     NOT NULL,
    staff          TEXT     NOT NULL,
    comment        TEXT     NOT NULL,
    promised_by    DATETIME NULL,
    at             DATETIME NOT NULL,
    received_at    DATETIME NOT NULL,
    UNIQUE (case_no, seq)
);
CREATE INDEX progress_event_application ON progress_event (application_id, seq);

CREATE TABLE progress_cursor (
    name       TEXT     NOT NULL PRIMARY KEY,
    value      TEXT     NOT NULL,
    updated_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE progress_cursor;
DROP TABLE progress_event;
