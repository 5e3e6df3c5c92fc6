-- +goose Up
-- The record of every printed document; see the MySQL file.
CREATE TABLE document_print (
    serial      TEXT     NOT NULL PRIMARY KEY,
    kind        TEXT     NOT NULL,
    title       TEXT     NOT NULL,
    subject     TEXT     NOT NULL,
    subject_ref TEXT     NOT NULL,
    actor_kind  TEXT     NOT NULL,
    actor_ref   TEXT     NOT NULL,
    channel     TEXT     NOT NULL,
    device_id   TEXT     NOT NULL,
    page_size   TEXT     NOT NULL,
    issued_at   DATETIME NOT NULL,
    digest      TEXT     NOT NULL,
    request_id  TEXT     NOT NULL,
    content     TEXT     NOT NULL
);
CREATE INDEX document_print_subject ON document_print (subject_ref, issued_at);
CREATE INDEX document_print_issued ON document_print (issued_at);

-- +goose Down
DROP TABLE document_print;
