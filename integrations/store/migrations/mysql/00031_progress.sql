-- +goose Up
-- The append-only timeline of every case (进度), one row per event of the
-- counter core, de-duplicated by the core's event id and ordered by the
-- per-case sequence.
CREATE TABLE progress_event (
    event_id       VARCHAR(64)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    application_id VARCHAR(32)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    case_no        VARCHAR(32)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    seq            INT           NOT NULL,
    kind           VARCHAR(32)   CHARACTER SET ascii NOT NULL,
    status         VARCHAR(24)   CHARACTER SET ascii NOT NULL,
    step           VARCHAR(64)   NOT NULL,
    step_name      VARCHAR(64)   NOT NULL,
    office         VARCHAR(128)  NOT NULL,
    staff          VARCHAR(64)   NOT NULL,
    comment        VARCHAR(1000) NOT NULL,
    promised_by    DATETIME(3)   NULL,
    at             DATETIME(3)   NOT NULL,
    received_at    DATETIME(3)   NOT NULL,
    UNIQUE KEY progress_event_case_seq (case_no, seq),
    KEY progress_event_application (application_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Where polling of the core's events has got to.
CREATE TABLE progress_cursor (
    name       VARCHAR(32)  CHARACTER SET ascii NOT NULL PRIMARY KEY,
    value      VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    updated_at DATETIME(3)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE progress_cursor;
DROP TABLE progress_event;
