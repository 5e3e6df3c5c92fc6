-- +goose Up
-- The simulated counter acceptance and dispatch core (综合柜员制受理 +
-- 审核调度). Ids that travel (application ids, case numbers) compare
-- byte for byte, as they do on SQLite.
CREATE TABLE csim_cases (
    id                BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_no           VARCHAR(80)  COLLATE utf8mb4_bin NOT NULL,
    application_id    VARCHAR(64)  COLLATE utf8mb4_bin NOT NULL,
    matter_code       VARCHAR(64)  NOT NULL,
    matter_name       VARCHAR(128) NOT NULL,
    requested_matter  VARCHAR(64)  NOT NULL,
    generic           TINYINT(1)   NOT NULL DEFAULT 0,
    applicant_kind    VARCHAR(8)   NOT NULL,
    applicant_ref     VARCHAR(128) COLLATE utf8mb4_bin NOT NULL,
    applicant_display VARCHAR(128) NOT NULL,
    channel           VARCHAR(16)  NOT NULL,
    bundle_id         VARCHAR(64)  NOT NULL DEFAULT '',
    form              MEDIUMTEXT   NOT NULL,
    materials         MEDIUMTEXT   NOT NULL,
    prereqs_claimed   TEXT         NOT NULL,
    prereqs_pending   TEXT         NOT NULL,
    status            VARCHAR(24)  NOT NULL,
    step              VARCHAR(32)  NOT NULL,
    comment           VARCHAR(500) NOT NULL DEFAULT '',
    supply_hash       VARCHAR(64)  NOT NULL DEFAULT '',
    last_seq          INT          NOT NULL DEFAULT 0,
    accepted_at       DATETIME(6)  NOT NULL,
    promised_by       CHAR(10)     NOT NULL,
    finished_at       DATETIME(6)  NULL,
    UNIQUE KEY csim_cases_case_no (case_no),
    UNIQUE KEY csim_cases_application (application_id),
    KEY csim_cases_applicant (applicant_ref, matter_code, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per step a case has been at (待办任务 while open).
CREATE TABLE csim_tasks (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_id    BIGINT       NOT NULL,
    step       VARCHAR(32)  NOT NULL,
    step_name  VARCHAR(64)  NOT NULL,
    role       VARCHAR(32)  NOT NULL,
    office     VARCHAR(64)  NOT NULL,
    state      VARCHAR(16)  NOT NULL,
    claimed_by VARCHAR(32)  NULL,
    claimed_at DATETIME(6)  NULL,
    locked     TINYINT(1)   NOT NULL DEFAULT 0,
    outcome    VARCHAR(16)  NOT NULL DEFAULT '',
    done_by    VARCHAR(32)  NOT NULL DEFAULT '',
    done_at    DATETIME(6)  NULL,
    comment    VARCHAR(500) NOT NULL DEFAULT '',
    created_at DATETIME(6)  NOT NULL,
    KEY csim_tasks_pool (state, role, claimed_by),
    KEY csim_tasks_case (case_id, state),
    KEY csim_tasks_done_by (done_by, done_at),
    CONSTRAINT csim_tasks_case_fk FOREIGN KEY (case_id) REFERENCES csim_cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every change to a case, in commit order of id (ids come from
-- csim_sequences under a row lock held to commit).
CREATE TABLE csim_events (
    id             BIGINT       NOT NULL PRIMARY KEY,
    case_id        BIGINT       NOT NULL,
    case_no        VARCHAR(32)  NOT NULL,
    application_id VARCHAR(64)  NOT NULL,
    seq            INT          NOT NULL,
    kind           VARCHAR(32)  NOT NULL,
    status         VARCHAR(24)  NOT NULL,
    step           VARCHAR(32)  NOT NULL,
    step_name      VARCHAR(64)  NOT NULL,
    office         VARCHAR(64)  NOT NULL,
    staff          VARCHAR(64)  NOT NULL,
    comment        VARCHAR(500) NOT NULL,
    promised_by    CHAR(10)     NOT NULL,
    at             DATETIME(6)  NOT NULL,
    delivered_at   DATETIME(6)  NULL,
    UNIQUE KEY csim_events_case_seq (case_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Webhook posts still owed, deleted once the BFF answers 2xx.
CREATE TABLE csim_deliveries (
    event_id   BIGINT       NOT NULL PRIMARY KEY,
    case_id    BIGINT       NOT NULL,
    seq        INT          NOT NULL,
    attempts   INT          NOT NULL DEFAULT 0,
    next_at    DATETIME(6)  NOT NULL,
    last_error VARCHAR(255) NOT NULL DEFAULT '',
    KEY csim_deliveries_case (case_id, seq),
    KEY csim_deliveries_next (next_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE csim_sequences (
    name  VARCHAR(32) NOT NULL PRIMARY KEY,
    value BIGINT      NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO csim_sequences (name, value) VALUES ('event', 0);

-- +goose Down
DROP TABLE csim_sequences;
DROP TABLE csim_deliveries;
DROP TABLE csim_events;
DROP TABLE csim_tasks;
DROP TABLE csim_cases;
