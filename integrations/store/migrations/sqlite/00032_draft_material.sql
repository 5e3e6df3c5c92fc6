-- +goose Up
-- Drafts and material files; see the MySQL file.
CREATE TABLE draft (
    applicant_ref TEXT     NOT NULL,
    code          TEXT     NOT NULL,
    situation     TEXT     NOT NULL DEFAULT '',
    form_sealed   TEXT     NOT NULL,
    materials     TEXT     NOT NULL,
    channel       TEXT     NOT NULL,
    updated_at    DATETIME NOT NULL,
    PRIMARY KEY (applicant_ref, code)
);
CREATE INDEX draft_updated ON draft (updated_at);

CREATE TABLE material (
    hash         TEXT     NOT NULL PRIMARY KEY,
    content_type TEXT     NOT NULL,
    size         INTEGER  NOT NULL,
    data         BLOB     NOT NULL,
    created_at   DATETIME NOT NULL
);

-- +goose Down
DROP TABLE material;
DROP TABLE draft;
