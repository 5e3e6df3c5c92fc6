-- +goose Up
-- Unit operator accounts, their trusted devices, batch uploads and staff
-- transfers of the enterprise online declaration; see the MySQL file.
CREATE TABLE unit_operator (
    id            TEXT     NOT NULL PRIMARY KEY,
    unit_ref      TEXT     NOT NULL,
    unit_sealed   TEXT     NOT NULL,
    name          TEXT     NOT NULL,
    phone_sealed  TEXT     NOT NULL,
    role          TEXT     NOT NULL,
    password_hash TEXT     NOT NULL,
    disabled      INTEGER  NOT NULL DEFAULT 0,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    UNIQUE (unit_ref, name)
);

CREATE TABLE unit_operator_device (
    operator_id  TEXT     NOT NULL,
    device_hash  TEXT     NOT NULL,
    trusted_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    PRIMARY KEY (operator_id, device_hash)
);

CREATE TABLE ent_batch (
    id              TEXT     NOT NULL PRIMARY KEY,
    unit_ref        TEXT     NOT NULL,
    operator_id     TEXT     NOT NULL,
    kind            TEXT     NOT NULL,
    idempotency_key TEXT     NOT NULL,
    file_digest     TEXT     NOT NULL,
    row_count       INTEGER  NOT NULL,
    rows_sealed     TEXT     NOT NULL,
    application_ids TEXT     NOT NULL,
    filed           INTEGER  NOT NULL DEFAULT 0,
    created_at      DATETIME NOT NULL,
    filed_at        DATETIME NULL,
    UNIQUE (unit_ref, idempotency_key)
);
CREATE INDEX ent_batch_unit ON ent_batch (unit_ref, created_at);

CREATE TABLE ent_transfer (
    application_id TEXT     NOT NULL PRIMARY KEY,
    unit_ref       TEXT     NOT NULL,
    unit_sealed    TEXT     NOT NULL,
    operator_id    TEXT     NOT NULL,
    direction      TEXT     NOT NULL,
    insurance      TEXT     NOT NULL,
    from_code      TEXT     NOT NULL,
    from_name      TEXT     NOT NULL,
    to_code        TEXT     NOT NULL,
    to_name        TEXT     NOT NULL,
    person_sealed  TEXT     NOT NULL,
    person         TEXT     NOT NULL,
    phone_sealed   TEXT     NOT NULL,
    number         TEXT     NOT NULL DEFAULT '',
    status         TEXT     NOT NULL DEFAULT '',
    notified       TEXT     NOT NULL DEFAULT '',
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX ent_transfer_unit ON ent_transfer (unit_ref, created_at);
CREATE INDEX ent_transfer_open ON ent_transfer (status, updated_at);

-- +goose Down
DROP TABLE ent_transfer;
DROP TABLE ent_batch;
DROP TABLE unit_operator_device;
DROP TABLE unit_operator;
