-- +goose Up
-- Accounts of the mobile channels and the relatives they act for; see the
-- MySQL file.
CREATE TABLE identity_account (
    id            TEXT     NOT NULL PRIMARY KEY,
    phone_index   TEXT     NOT NULL UNIQUE,
    phone_sealed  TEXT     NOT NULL,
    person_index  TEXT     NULL UNIQUE,
    person_sealed TEXT     NOT NULL DEFAULT '',
    masked_name   TEXT     NOT NULL DEFAULT '',
    bound_at      DATETIME NULL,
    created_at    DATETIME NOT NULL
);

CREATE TABLE identity_relative (
    id            TEXT     NOT NULL PRIMARY KEY,
    account_id    TEXT     NOT NULL,
    person_index  TEXT     NOT NULL,
    person_sealed TEXT     NOT NULL,
    masked_name   TEXT     NOT NULL,
    relation      TEXT     NOT NULL,
    verified_at   DATETIME NOT NULL,
    UNIQUE (account_id, person_index)
);

-- +goose Down
DROP TABLE identity_relative;
DROP TABLE identity_account;
