-- +goose Up
-- Accounts of the mobile channels (identity): signed in by phone, bound to
-- a citizen ID number by real-name verification. Both numbers are stored
-- sealed and found by keyed blind index; the unique keys make "one account
-- per phone" and "one account per person" hold under concurrent sign-ins.
-- person_index is NULL until the account is bound (NULLs do not collide).
CREATE TABLE identity_account (
    id            VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    phone_index   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    phone_sealed  VARCHAR(160) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    person_index  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NULL,
    person_sealed VARCHAR(160) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    masked_name   VARCHAR(64)  NOT NULL DEFAULT '',
    bound_at      DATETIME(3)  NULL,
    created_at    DATETIME(3)  NOT NULL,
    UNIQUE KEY identity_account_phone (phone_index),
    UNIQUE KEY identity_account_person (person_index)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The relatives an account may act for (亲情服务), each verified by real
-- name and by the relative's consent code; at most eight per account, which
-- the store enforces while holding the account row's lock.
CREATE TABLE identity_relative (
    id            VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    account_id    VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    person_index  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    person_sealed VARCHAR(160) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    masked_name   VARCHAR(64)  NOT NULL,
    relation      VARCHAR(16)  CHARACTER SET ascii NOT NULL,
    verified_at   DATETIME(3)  NOT NULL,
    UNIQUE KEY identity_relative_person (account_id, person_index)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE identity_relative;
DROP TABLE identity_account;
