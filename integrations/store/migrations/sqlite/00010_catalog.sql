-- +goose Up
-- The matter catalogue (事项库): matters and bundles (一件事) as JSON
-- documents, keyed by their code, with the version administrators' changes
-- move on. catalog_meta holds the one row of the catalogue's own state: the
-- catalog file version last imported and the revision every write bumps
-- (compare-and-set), which instances poll to notice each other's changes.
CREATE TABLE catalog_matter (
    code       TEXT     NOT NULL PRIMARY KEY,
    version    INTEGER  NOT NULL,
    updated_at DATETIME NOT NULL,
    doc        TEXT     NOT NULL
);

CREATE TABLE catalog_bundle (
    code       TEXT     NOT NULL PRIMARY KEY,
    version    INTEGER  NOT NULL,
    updated_at DATETIME NOT NULL,
    doc        TEXT     NOT NULL
);

CREATE TABLE catalog_meta (
    id           INTEGER NOT NULL PRIMARY KEY,
    file_version INTEGER NOT NULL,
    revision     INTEGER NOT NULL
);

INSERT INTO catalog_meta (id, file_version, revision) VALUES (1, 0, 0);

-- +goose Down
DROP TABLE catalog_meta;
DROP TABLE catalog_bundle;
DROP TABLE catalog_matter;
