-- +goose Up
-- Announcements (公告): policies, laws, procedures and special-group policies
-- shown on the kiosks, the app and WeChat. Keyword search is LIKE '%词%' over
-- title and body: a full scan, which at a few hundred rows costs less than a
-- full-text index (MySQL's ngram parser) would to keep. announcement_meta
-- holds the revision every write moves on (the list's ETag) and the version
-- of the seed file last loaded.
CREATE TABLE announcement (
    id              VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    category        VARCHAR(16)  CHARACTER SET ascii NOT NULL,
    title           VARCHAR(200) NOT NULL,
    body            MEDIUMTEXT   NOT NULL,
    source          VARCHAR(200) NOT NULL,
    published_at    DATETIME(3)  NOT NULL,
    effective_from  DATETIME(3)  NULL,
    effective_until DATETIME(3)  NULL,
    pinned          BOOLEAN      NOT NULL,
    published       BOOLEAN      NOT NULL,
    version         BIGINT       NOT NULL,
    updated_at      DATETIME(3)  NOT NULL,
    KEY announcement_list (published, category, pinned, published_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE announcement_meta (
    id           TINYINT UNSIGNED NOT NULL PRIMARY KEY,
    revision     BIGINT NOT NULL,
    seed_version BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO announcement_meta (id, revision, seed_version) VALUES (1, 0, 0);

-- +goose Down
DROP TABLE announcement_meta;
DROP TABLE announcement;
