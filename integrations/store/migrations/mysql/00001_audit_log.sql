-- +goose Up
-- The audit log (审计日志): every read of a person's data and every change,
-- append-only. Subjects are recorded by keyed blind index, never by raw ID.
CREATE TABLE audit_log (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at          DATETIME(3)     NOT NULL,
    actor_kind  VARCHAR(16)     NOT NULL,
    actor_ref   VARCHAR(64)     NOT NULL,
    channel     VARCHAR(16)     NOT NULL,
    action      VARCHAR(64)     NOT NULL,
    subject_ref VARCHAR(64)     NOT NULL DEFAULT '',
    request_id  VARCHAR(64)     NOT NULL DEFAULT '',
    detail      TEXT            NULL,
    KEY audit_log_subject (subject_ref, at),
    KEY audit_log_actor (actor_ref, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE audit_log;
