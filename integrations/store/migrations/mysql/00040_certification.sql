-- +goose Up
-- Pension entitlement certification (待遇资格认证): one row per pensioner per
-- yearly cycle. Pensioners are stored by keyed blind index (person_ref),
-- sealed ID number and masked display; a relative who certified for them
-- (亲情认证) likewise. next_check_at is when the sweep must next look at
-- the cycle (a reminder, a state change, the next cycle's opening); NULL
-- when nothing will happen without a certification. version guards
-- concurrent changes.
CREATE TABLE certification_cycle (
    id             VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    person_ref     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    person_sealed  VARCHAR(160) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    person_display VARCHAR(160) NOT NULL,
    seq            INT          NOT NULL,
    cycle_year     INT          NOT NULL,
    opens_on       DATETIME(3)  NOT NULL,
    due_on         DATETIME(3)  NOT NULL,
    overdue_on     DATETIME(3)  NOT NULL,
    suspend_on     DATETIME(3)  NOT NULL,
    state          VARCHAR(16)  CHARACTER SET ascii NOT NULL,
    overdue_at     DATETIME(3)  NULL,
    suspended_at   DATETIME(3)  NULL,
    certified_at   DATETIME(3)  NULL,
    method         VARCHAR(16)  CHARACTER SET ascii NOT NULL DEFAULT '',
    channel        VARCHAR(16)  CHARACTER SET ascii NOT NULL DEFAULT '',
    actor_kind     VARCHAR(16)  CHARACTER SET ascii NOT NULL DEFAULT '',
    actor_ref      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    actor_sealed   VARCHAR(160) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    actor_display  VARCHAR(160) NOT NULL DEFAULT '',
    relation       VARCHAR(16)  CHARACTER SET ascii NOT NULL DEFAULT '',
    evidence       VARCHAR(128) NOT NULL DEFAULT '',
    next_check_at  DATETIME(3)  NULL,
    version        INT          NOT NULL DEFAULT 0,
    created_at     DATETIME(3)  NOT NULL,
    updated_at     DATETIME(3)  NOT NULL,
    UNIQUE KEY certification_cycle_person (person_ref, seq),
    KEY certification_cycle_check (next_check_at, id),
    KEY certification_cycle_actor (actor_ref)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Certifications, suspensions and resumptions owed to the counter core,
-- written with the cycle change they record (the outbox). next_attempt_at
-- is NULL once the core has taken the event.
CREATE TABLE certification_event (
    n               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    id              VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    cycle_id        VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    kind            VARCHAR(16)  CHARACTER SET ascii NOT NULL,
    at              DATETIME(3)  NOT NULL,
    next_attempt_at DATETIME(3)  NULL,
    attempts        INT          NOT NULL DEFAULT 0,
    last_error      VARCHAR(500) NOT NULL DEFAULT '',
    forwarded_at    DATETIME(3)  NULL,
    UNIQUE KEY certification_event_id (id),
    KEY certification_event_cycle (cycle_id, n),
    KEY certification_event_retry (next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The reminders sent (认证提醒), one per cycle and kind: the primary key is
-- what makes a reminder go out once however many instances sweep.
CREATE TABLE certification_reminder (
    cycle_id VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    kind     VARCHAR(16) CHARACTER SET ascii NOT NULL,
    sent_at  DATETIME(3) NOT NULL,
    PRIMARY KEY (cycle_id, kind)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE certification_reminder;
DROP TABLE certification_event;
DROP TABLE certification_cycle;
