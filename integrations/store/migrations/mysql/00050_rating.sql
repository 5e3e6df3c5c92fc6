-- +goose Up
-- Service ratings (好差评, GB/T 39734-2020): one row per application and
-- stage, the unique key keeping "once per stage" under concurrency. The
-- rating copies the application's matter, channel, office and staff, so the
-- statistics group this one table; rated_on is the Beijing date, so "by
-- day" is a plain GROUP BY on both dialects. Raters are kept by blind index.
CREATE TABLE rating (
    id             VARCHAR(32)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    application_id VARCHAR(32)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    stage          VARCHAR(16)   CHARACTER SET ascii NOT NULL,
    level          TINYINT       NOT NULL,
    tags           VARCHAR(500)  NOT NULL,
    comment        VARCHAR(1000) NOT NULL,
    channel        VARCHAR(16)   CHARACTER SET ascii NOT NULL,
    matter_code    VARCHAR(64)   NOT NULL,
    matter_name    VARCHAR(128)  NOT NULL,
    office         VARCHAR(128)  NOT NULL,
    staff          VARCHAR(64)   NOT NULL,
    rater_ref      VARCHAR(64)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    rated_at       DATETIME(3)   NOT NULL,
    rated_on       CHAR(10)      CHARACTER SET ascii NOT NULL,
    excluded       TINYINT(1)    NOT NULL DEFAULT 0,
    UNIQUE KEY rating_application_stage (application_id, stage),
    KEY rating_rated_on (rated_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The rectification (整改) each bad rating opens; its id is the rating's.
CREATE TABLE rectification (
    id             VARCHAR(32)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    application_id VARCHAR(32)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    stage          VARCHAR(16)   CHARACTER SET ascii NOT NULL,
    level          TINYINT       NOT NULL,
    matter_code    VARCHAR(64)   NOT NULL,
    matter_name    VARCHAR(128)  NOT NULL,
    channel        VARCHAR(16)   CHARACTER SET ascii NOT NULL,
    office         VARCHAR(128)  NOT NULL,
    staff          VARCHAR(64)   NOT NULL,
    state          VARCHAR(16)   CHARACTER SET ascii NOT NULL,
    appealed_from  VARCHAR(16)   CHARACTER SET ascii NOT NULL DEFAULT '',
    unfounded      TINYINT(1)    NOT NULL DEFAULT 0,
    result         VARCHAR(1000) NOT NULL DEFAULT '',
    opened_at      DATETIME(3)   NOT NULL,
    deadline       DATETIME(3)   NOT NULL,
    closed_at      DATETIME(3)   NULL,
    KEY rectification_due (state, deadline),
    KEY rectification_office (office, state, deadline)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every step taken on a rectification: who (staff display name), what, when.
CREATE TABLE rectification_step (
    id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    rectification_id VARCHAR(32)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    action           VARCHAR(16)     CHARACTER SET ascii NOT NULL,
    from_state       VARCHAR(16)     CHARACTER SET ascii NOT NULL,
    to_state         VARCHAR(16)     CHARACTER SET ascii NOT NULL,
    actor            VARCHAR(64)     NOT NULL,
    note             VARCHAR(1000)   NOT NULL,
    at               DATETIME(3)     NOT NULL,
    KEY rectification_step_of (rectification_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Finished applications whose applicant may be reminded to rate them, fed
-- by rating.Service.Completed; reminded_at is set once the reminder went.
-- A rating of the completed stage deletes the row.
CREATE TABLE rating_candidate (
    application_id VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    applicant_ref  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    matter_code    VARCHAR(64)  NOT NULL,
    matter_name    VARCHAR(128) NOT NULL,
    channel        VARCHAR(16)  CHARACTER SET ascii NOT NULL,
    finished_at    DATETIME(3)  NOT NULL,
    reminded_at    DATETIME(3)  NULL,
    KEY rating_candidate_due (reminded_at, finished_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE rating_candidate;
DROP TABLE rectification_step;
DROP TABLE rectification;
DROP TABLE rating;
