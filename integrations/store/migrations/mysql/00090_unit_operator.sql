-- +goose Up
-- Unit operator accounts (单位经办人) of the enterprise online declaration.
-- The unit is kept as the blind index of its credit code (to find its
-- operators) and the code sealed; the phone SMS codes go to is sealed; the
-- password is an argon2id hash. The name is the login name within the unit.
CREATE TABLE unit_operator (
    id            VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    unit_ref      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    unit_sealed   VARCHAR(256) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    name          VARCHAR(30)  NOT NULL,
    phone_sealed  VARCHAR(256) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    role          VARCHAR(16)  CHARACTER SET ascii NOT NULL,
    password_hash VARCHAR(256) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    disabled      TINYINT(1)   NOT NULL DEFAULT 0,
    created_at    DATETIME(3)  NOT NULL,
    updated_at    DATETIME(3)  NOT NULL,
    UNIQUE KEY unit_operator_name (unit_ref, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The devices (browsers) each operator passed an SMS code on, by the hash
-- of the id the browser generated.
CREATE TABLE unit_operator_device (
    operator_id  VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    device_hash  CHAR(64)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    trusted_at   DATETIME(3) NOT NULL,
    last_seen_at DATETIME(3) NOT NULL,
    PRIMARY KEY (operator_id, device_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Batch uploads (批量增员、减员、基数申报): one row per accepted file, the
-- checked rows sealed, the applications filed for it listed once all are.
-- The unique key makes a repeated upload with the same Idempotency-Key
-- find the first.
CREATE TABLE ent_batch (
    id              VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    unit_ref        VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    operator_id     VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    kind            VARCHAR(32) CHARACTER SET ascii NOT NULL,
    idempotency_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    file_digest     CHAR(64)    CHARACTER SET ascii NOT NULL,
    row_count       INT         NOT NULL,
    rows_sealed     LONGTEXT    CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    application_ids MEDIUMTEXT  CHARACTER SET ascii NOT NULL,
    filed           TINYINT(1)  NOT NULL DEFAULT 0,
    created_at      DATETIME(3) NOT NULL,
    filed_at        DATETIME(3) NULL,
    UNIQUE KEY ent_batch_key (unit_ref, idempotency_key),
    KEY ent_batch_unit (unit_ref, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Staff transfers (人员转出/转入) filed with the provincial transfer
-- platform under the application's id: the number and status last seen
-- there, and the status last texted to the person (notified), which only
-- one instance can move on (UPDATE … WHERE notified = ?).
CREATE TABLE ent_transfer (
    application_id VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    unit_ref       VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    unit_sealed    VARCHAR(256) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    operator_id    VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    direction      VARCHAR(8)   CHARACTER SET ascii NOT NULL,
    insurance      VARCHAR(32)  CHARACTER SET ascii NOT NULL,
    from_code      CHAR(6)      CHARACTER SET ascii NOT NULL,
    from_name      VARCHAR(50)  NOT NULL,
    to_code        CHAR(6)      CHARACTER SET ascii NOT NULL,
    to_name        VARCHAR(50)  NOT NULL,
    person_sealed  VARCHAR(256) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    person         VARCHAR(64)  NOT NULL,
    phone_sealed   VARCHAR(256) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    number         VARCHAR(64)  CHARACTER SET ascii NOT NULL DEFAULT '',
    status         VARCHAR(32)  CHARACTER SET ascii NOT NULL DEFAULT '',
    notified       VARCHAR(32)  CHARACTER SET ascii NOT NULL DEFAULT '',
    created_at     DATETIME(3)  NOT NULL,
    updated_at     DATETIME(3)  NOT NULL,
    KEY ent_transfer_unit (unit_ref, created_at),
    KEY ent_transfer_open (status, updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE ent_transfer;
DROP TABLE ent_batch;
DROP TABLE unit_operator_device;
DROP TABLE unit_operator;
