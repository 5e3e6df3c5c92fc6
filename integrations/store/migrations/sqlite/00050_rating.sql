-- +goose Up
-- Service ratings (好差评), rectifications, their steps and the reminder
-- candidates; see the MySQL file.
CREATE TABLE rating (
    id             TEXT     NOT NULL PRIMARY KEY,
    application_id TEXT     NOT NULL,
    stage          TEXT     NOT NULL,
    level          INTEGER  NOT NULL,
    tags           TEXT     NOT NULL,
    comment        TEXT     NOT NULL,
    channel        TEXT     NOT NULL,
    matter_code    TEXT     NOT NULL,
    matter_name    TEXT     NOT NULL,
    office         TEXT     NOT NULL,
    staff          TEXT     NOT NULL,
    rater_ref      TEXT     NOT NULL,
    rated_at       DATETIME NOT NULL,
    rated_on       TEXT     NOT NULL,
    excluded       INTEGER  NOT NULL DEFAULT 0,
    UNIQUE (application_id, stage)
);
CREATE INDEX rating_rated_on ON rating (rated_on);

CREATE TABLE rectification (
    id             TEXT     NOT NULL PRIMARY KEY,
    application_id TEXT     NOT NULL,
    stage          TEXT     NOT NULL,
    level          INTEGER  NOT NULL,
    matter_code    TEXT     NOT NULL,
    matter_name    TEXT     NOT NULL,
    channel        TEXT     NOT NULL,
    office         TEXT     NOT NULL,
    staff          TEXT     NOT NULL,
    state          TEXT     NOT NULL,
    appealed_from  TEXT     NOT NULL DEFAULT '',
    unfounded      INTEGER  NOT NULL DEFAULT 0,
    result         TEXT     NOT NULL DEFAULT '',
    opened_at      DATETIME NOT NULL,
    deadline       DATETIME NOT NULL,
    closed_at      DATETIME NULL
);
CREATE INDEX rectification_due ON rectification (state, deadline);
CREATE INDEX rectification_office ON rectification (office, state, deadline);

CREATE TABLE rectification_step (
    id               INTEGER  PRIMARY KEY AUTOINCREMENT,
    rectification_id TEXT     NOT NULL,
    action           TEXT     NOT NULL,
    from_state       TEXT     NOT NULL,
    to_state         TEXT     NOT NULL,
    actor            TEXT     NOT NULL,
    note             TEXT     NOT NULL,
    at               DATETIME NOT NULL
);
CREATE INDEX rectification_step_of ON rectification_step (rectification_id, id);

CREATE TABLE rating_candidate (
    application_id TEXT     NOT NULL PRIMARY KEY,
    applicant_ref  TEXT     NOT NULL,
    matter_code    TEXT     NOT NULL,
    matter_name    TEXT     NOT NULL,
    channel        TEXT     NOT NULL,
    finished_at    DATETIME NOT NULL,
    reminded_at    DATETIME NULL
);
CREATE INDEX rating_candidate_due ON rating_candidate (reminded_at, finished_at);

-- +goose Down
DROP TABLE rating_candidate;
DROP TABLE rectification_step;
DROP TABLE rectification;
DROP TABLE rating;
