-- +goose Up
-- The notice outbox (通知发件箱); see the MySQL migration for the design.
-- SQLite has one writer, so claiming needs no row locks.
CREATE TABLE notice (
    id              INTEGER  PRIMARY KEY AUTOINCREMENT,
    dedup_key       TEXT     NOT NULL UNIQUE,
    person_ref      TEXT     NOT NULL,
    phone_sealed    TEXT     NOT NULL DEFAULT '',
    openid          TEXT     NOT NULL DEFAULT '',
    channel         TEXT     NOT NULL DEFAULT '',
    kind            TEXT     NOT NULL,
    params          TEXT     NOT NULL,
    state           TEXT     NOT NULL,
    route           TEXT     NOT NULL DEFAULT '',
    in_flight       TEXT     NOT NULL DEFAULT '',
    skip_wechat     INTEGER  NOT NULL DEFAULT 0,
    attempts        INTEGER  NOT NULL DEFAULT 0,
    lease           TEXT     NOT NULL DEFAULT '',
    slot_at         DATETIME NOT NULL,
    next_attempt_at DATETIME NULL,
    message_id      TEXT     NOT NULL DEFAULT '',
    last_error      TEXT     NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    sent_at         DATETIME NULL
);
CREATE INDEX notice_due ON notice (next_attempt_at);
CREATE INDEX notice_person_slot ON notice (person_ref, slot_at);
CREATE INDEX notice_state ON notice (state, id);

CREATE TABLE notice_person (
    person_ref TEXT     NOT NULL PRIMARY KEY,
    updated_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE notice_person;
DROP TABLE notice;
