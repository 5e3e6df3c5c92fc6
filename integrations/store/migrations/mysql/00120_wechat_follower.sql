-- +goose Up
-- Followers of 丹东人社公众号 bound to an insured person (domain/follower):
-- the openid, the person's blind index and sealed ID number, the masked
-- name. One binding per openid (the key) and one per person (the unique
-- index): binding from a new openid moves the person's binding.
CREATE TABLE wechat_follower (
    open_id       VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    person_index  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    person_sealed VARCHAR(160) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    masked_name   VARCHAR(64)  NOT NULL,
    method        VARCHAR(16)  CHARACTER SET ascii NOT NULL,
    bound_at      DATETIME(3)  NOT NULL,
    UNIQUE KEY wechat_follower_person (person_index)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The relatives a bound follower may act for (亲情服务), under the holder's
-- person, each verified by real name and by the relative's consent code;
-- at most eight per holder, which the store enforces while holding the
-- holder's binding row.
CREATE TABLE wechat_relative (
    id            VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    holder_index  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    person_index  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    person_sealed VARCHAR(160) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    masked_name   VARCHAR(64)  NOT NULL,
    relation      VARCHAR(16)  CHARACTER SET ascii NOT NULL,
    verified_at   DATETIME(3)  NOT NULL,
    UNIQUE KEY wechat_relative_person (holder_index, person_index)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE wechat_relative;
DROP TABLE wechat_follower;
