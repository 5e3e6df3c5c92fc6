-- +goose Up
-- The self-service kiosks (自助查询一体机): where each stands, the secret it
-- signs its requests with (sealed: the server must read it back to check an
-- HMAC) and whether it is in service.
CREATE TABLE device (
    id            VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    hall          VARCHAR(64)  NOT NULL,
    location      VARCHAR(128) NOT NULL,
    secret_sealed VARCHAR(512) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    registered_at DATETIME(3)  NOT NULL,
    updated_at    DATETIME(3)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE device;
