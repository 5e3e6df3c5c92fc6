-- +goose Up
-- Announcements and their revision; see the MySQL file.
CREATE TABLE announcement (
    id              TEXT     NOT NULL PRIMARY KEY,
    category        TEXT     NOT NULL,
    title           TEXT     NOT NULL,
    body            TEXT     NOT NULL,
    source          TEXT     NOT NULL,
    published_at    DATETIME NOT NULL,
    effective_from  DATETIME NULL,
    effective_until DATETIME NULL,
    pinned          BOOLEAN  NOT NULL,
    published       BOOLEAN  NOT NULL,
    version         INTEGER  NOT NULL,
    updated_at      DATETIME NOT NULL
);
CREATE INDEX announcement_list ON announcement (published, category, pinned, published_at);

CREATE TABLE announcement_meta (
    id           INTEGER NOT NULL PRIMARY KEY,
    revision     INTEGER NOT NULL,
    seed_version INTEGER NOT NULL
);

INSERT INTO announcement_meta (id, revision, seed_version) VALUES (1, 0, 0);

-- +goose Down
DROP TABLE announcement_meta;
DROP TABLE announcement;
