-- +goose Up
-- The self-service kiosks; see the MySQL file for the meaning of each column.
CREATE TABLE device (
    id            TEXT     NOT NULL PRIMARY KEY,
    hall          TEXT     NOT NULL,
    location      TEXT     NOT NULL,
    secret_sealed TEXT     NOT NULL,
    status        TEXT     NOT NULL,
    registered_at DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);

-- +goose Down
DROP TABLE device;
