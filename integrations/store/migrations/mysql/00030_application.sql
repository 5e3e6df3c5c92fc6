-- +goose Up
-- Applications (申请) filed on any channel, with the current state of their
-- case at the counter core, and the outbox that forwards them there.
-- Applicants are stored by keyed blind index (applicant_ref), sealed number
-- and masked display: no raw ID number, credit code or phone in any column.
-- The form is sealed as a whole, since forms hold phones and relatives' IDs.
CREATE TABLE application (
    id                 VARCHAR(32)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    bundle_id          VARCHAR(32)   CHARACTER SET ascii COLLATE ascii_bin NULL,
    matter_code        VARCHAR(64)   NOT NULL,
    matter_name        VARCHAR(128)  NOT NULL,
    situation          VARCHAR(64)   NOT NULL DEFAULT '',
    applicant_kind     VARCHAR(8)    CHARACTER SET ascii NOT NULL,
    applicant_ref      VARCHAR(64)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    applicant_sealed   VARCHAR(160)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    applicant_display  VARCHAR(160)  NOT NULL,
    acting_ref         VARCHAR(64)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    acting_sealed      VARCHAR(160)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    acting_display     VARCHAR(160)  NOT NULL DEFAULT '',
    relation           VARCHAR(64)   NOT NULL DEFAULT '',
    channel            VARCHAR(16)   CHARACTER SET ascii NOT NULL,
    -- NULL for the members of a bundle: the bundle row holds the key.
    idempotency_key    VARCHAR(64)   CHARACTER SET ascii COLLATE ascii_bin NULL,
    form_sealed        MEDIUMTEXT    CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    materials          TEXT          NOT NULL,
    prerequisites_done TEXT          NOT NULL,
    submitted_at       DATETIME(3)   NOT NULL,
    status             VARCHAR(24)   CHARACTER SET ascii NOT NULL,
    case_no            VARCHAR(32)   CHARACTER SET ascii COLLATE ascii_bin NULL,
    generic            TINYINT(1)    NOT NULL DEFAULT 0,
    step               VARCHAR(64)   NOT NULL DEFAULT '',
    step_name          VARCHAR(64)   NOT NULL DEFAULT '',
    office             VARCHAR(128)  NOT NULL DEFAULT '',
    comment            VARCHAR(1000) NOT NULL DEFAULT '',
    forwarded_at       DATETIME(3)   NULL,
    accepted_at        DATETIME(3)   NULL,
    promised_by        DATETIME(3)   NULL,
    finished_at        DATETIME(3)   NULL,
    pending_prereqs    TEXT          NOT NULL,
    forward_error      VARCHAR(500)  NOT NULL DEFAULT '',
    last_seq           INT           NOT NULL DEFAULT 0,
    updated_at         DATETIME(3)   NOT NULL,
    UNIQUE KEY application_idempotency (applicant_ref, idempotency_key),
    UNIQUE KEY application_case (case_no),
    KEY application_applicant (applicant_ref, id),
    KEY application_acting (acting_ref, id),
    KEY application_bundle (bundle_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A package (打包办): the applications of one submission for a bundle of
-- linked matters. It holds the submission's idempotency key.
CREATE TABLE bundle (
    id              VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    code            VARCHAR(64)  NOT NULL,
    name            VARCHAR(128) NOT NULL,
    applicant_ref   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel         VARCHAR(16)  CHARACTER SET ascii NOT NULL,
    idempotency_key VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at      DATETIME(3)  NOT NULL,
    UNIQUE KEY bundle_idempotency (applicant_ref, idempotency_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Applications owed to the counter core, committed with them. A dispatcher
-- claims a row by setting lease and pushing next_attempt_at to the lease's
-- end; the row is deleted once the core acknowledges the application.
CREATE TABLE outbox (
    application_id  VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    created_at      DATETIME(3)  NOT NULL,
    next_attempt_at DATETIME(3)  NOT NULL,
    attempts        INT          NOT NULL DEFAULT 0,
    lease           VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    last_error      VARCHAR(500) NOT NULL DEFAULT '',
    KEY outbox_due (next_attempt_at),
    KEY outbox_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE outbox;
DROP TABLE bundle;
DROP TABLE application;
