-- +goose Up
-- Followers of 丹东人社公众号 bound to a person, and their relatives; see
-- the MySQL file.
CREATE TABLE wechat_follower (
    open_id       TEXT     NOT NULL PRIMARY KEY,
    person_index  TEXT     NOT NULL UNIQUE,
    person_sealed TEXT     NOT NULL,
    masked_name   TEXT     NOT NULL,
    method        TEXT     NOT NULL,
    bound_at      DATETIME NOT NULL
);

CREATE TABLE wechat_relative (
    id            TEXT     NOT NULL PRIMARY KEY,
    holder_index  TEXT     NOT NULL,
    person_index  TEXT     NOT NULL,
    person_sealed TEXT     NOT NULL,
    masked_name   TEXT     NOT NULL,
    relation      TEXT     NOT NULL,
    verified_at   DATETIME NOT NULL,
    UNIQUE (holder_index, person_index)
);

-- +goose Down
DROP TABLE wechat_relative;
DROP TABLE wechat_follower;
