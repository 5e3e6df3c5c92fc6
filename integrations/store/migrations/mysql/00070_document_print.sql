-- +goose Up
-- The record of every printed document (打印记录), keyed by its serial
-- (文书编号), which the public verify page looks up. The subject is kept
-- masked for display and as a keyed blind index for look-ups, never raw;
-- content is the masked canonical JSON the digest (SHA-256) was taken over.
-- Rows are never updated or deleted by the server.
CREATE TABLE document_print (
    serial      CHAR(20)      CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    kind        VARCHAR(32)   CHARACTER SET ascii NOT NULL,
    title       VARCHAR(500)  NOT NULL,
    subject     VARCHAR(600)  NOT NULL,
    subject_ref VARCHAR(64)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    actor_kind  VARCHAR(16)   CHARACTER SET ascii NOT NULL,
    actor_ref   VARCHAR(64)   NOT NULL,
    channel     VARCHAR(16)   CHARACTER SET ascii NOT NULL,
    device_id   VARCHAR(64)   NOT NULL,
    page_size   VARCHAR(16)   CHARACTER SET ascii NOT NULL,
    issued_at   DATETIME(3)   NOT NULL,
    digest      CHAR(64)      CHARACTER SET ascii NOT NULL,
    request_id  VARCHAR(64)   NOT NULL,
    content     LONGTEXT      NOT NULL,
    KEY document_print_subject (subject_ref, issued_at),
    KEY document_print_issued (issued_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE document_print;
