-- +goose Up
-- Drafts (草稿), one per applicant and matter or bundle code, whatever the
-- channel, so that a form started at the kiosk is finished on the phone.
CREATE TABLE draft (
    applicant_ref VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    code          VARCHAR(64) NOT NULL,
    situation     VARCHAR(64) NOT NULL DEFAULT '',
    form_sealed   MEDIUMTEXT  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    materials     TEXT        NOT NULL,
    channel       VARCHAR(16) CHARACTER SET ascii NOT NULL,
    updated_at    DATETIME(3) NOT NULL,
    PRIMARY KEY (applicant_ref, code),
    KEY draft_updated (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Material files (申请材料) by content hash, in the database so that every
-- BFF instance serves them; at most 10 MB each (PDF, JPEG, PNG).
CREATE TABLE material (
    hash         VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    content_type VARCHAR(64) CHARACTER SET ascii NOT NULL,
    size         INT         NOT NULL,
    data         MEDIUMBLOB  NOT NULL,
    created_at   DATETIME(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE material;
DROP TABLE draft;
