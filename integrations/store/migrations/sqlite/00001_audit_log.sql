-- +goose Up
-- The audit log (审计日志): every read of a person's data and every change,
-- append-only. Subjects are recorded by keyed blind index, never by raw ID.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT    NOT NULL,
    actor_kind  TEXT    NOT NULL,
    actor_ref   TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    subject_ref TEXT    NOT NULL DEFAULT '',
    request_id  TEXT    NOT NULL DEFAULT '',
    detail      TEXT    NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject_ref, at);
CREATE INDEX audit_log_actor ON audit_log (actor_ref, at);

-- +goose Down
DROP TABLE audit_log;
