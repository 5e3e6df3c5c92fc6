-- +goose Up
-- The notice outbox (通知发件箱): what each applicant is to be told, and how
-- far it got. A person is referred to by blind index (person_ref); the phone
-- is kept only sealed (phone_sealed), never as digits. dedup_key makes a
-- repeated enqueue a no-op. A dispatcher claims due rows with FOR UPDATE
-- SKIP LOCKED, leases them (lease, next_attempt_at = end of the lease), and
-- records in in_flight the route of a send that has begun, so a crash
-- mid-send is never followed by a second SMS. next_attempt_at is NULL once
-- a notice is final (sent, failed, review).
CREATE TABLE notice (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    dedup_key       VARCHAR(128)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    person_ref      VARCHAR(64)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    phone_sealed    VARCHAR(160)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    openid          VARCHAR(64)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    channel         VARCHAR(16)   CHARACTER SET ascii NOT NULL DEFAULT '',
    kind            VARCHAR(32)   CHARACTER SET ascii NOT NULL,
    params          TEXT          NOT NULL,
    state           VARCHAR(12)   CHARACTER SET ascii NOT NULL,
    route           VARCHAR(8)    CHARACTER SET ascii NOT NULL DEFAULT '',
    in_flight       VARCHAR(8)    CHARACTER SET ascii NOT NULL DEFAULT '',
    skip_wechat     TINYINT(1)    NOT NULL DEFAULT 0,
    attempts        INT           NOT NULL DEFAULT 0,
    lease           VARCHAR(32)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    slot_at         DATETIME(3)   NOT NULL,
    next_attempt_at DATETIME(3)   NULL,
    message_id      VARCHAR(64)   NOT NULL DEFAULT '',
    last_error      VARCHAR(500)  NOT NULL DEFAULT '',
    created_at      DATETIME(3)   NOT NULL,
    updated_at      DATETIME(3)   NOT NULL,
    sent_at         DATETIME(3)   NULL,
    UNIQUE KEY notice_dedup (dedup_key),
    KEY notice_due (next_attempt_at),
    KEY notice_person_slot (person_ref, slot_at),
    KEY notice_state (state, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per person ever notified: enqueueing takes its row lock, so the
-- rate limit of one person is decided by one enqueue at a time.
CREATE TABLE notice_person (
    person_ref  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    updated_at  DATETIME(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE notice_person;
DROP TABLE notice;
