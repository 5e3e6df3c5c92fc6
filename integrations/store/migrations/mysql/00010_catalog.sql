-- +goose Up
-- The matter catalogue (事项库): matters and bundles (一件事) as JSON
-- documents, keyed by their code, with the version administrators' changes
-- move on. catalog_meta holds the one row of the catalogue's own state: the
-- catalog file version last imported and the revision every write bumps
-- (compare-and-set), which instances poll to notice each other's changes.
CREATE TABLE catalog_matter (
    code       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    version    BIGINT      NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    doc        MEDIUMTEXT  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE catalog_bundle (
    code       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    version    BIGINT      NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    doc        MEDIUMTEXT  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE catalog_meta (
    id           TINYINT UNSIGNED NOT NULL PRIMARY KEY,
    file_version BIGINT NOT NULL,
    revision     BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO catalog_meta (id, file_version, revision) VALUES (1, 0, 0);

-- +goose Down
DROP TABLE catalog_meta;
DROP TABLE catalog_bundle;
DROP TABLE catalog_matter;
