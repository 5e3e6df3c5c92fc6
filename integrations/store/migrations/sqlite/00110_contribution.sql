-- +goose Up
-- Contribution payment orders, the months they cover and the payments
-- recorded once per order; see the MySQL file.
CREATE TABLE contribution_order (
    id               TEXT     NOT NULL PRIMARY KEY,
    payer_kind       TEXT     NOT NULL,
    payer_ref        TEXT     NOT NULL,
    payer_sealed     TEXT     NOT NULL,
    payer_display    TEXT     NOT NULL,
    actor_ref        TEXT     NOT NULL,
    channel          TEXT     NOT NULL,
    idempotency_key  TEXT     NOT NULL,
    insurance        TEXT     NOT NULL,
    first_month      INTEGER  NOT NULL,
    last_month       INTEGER  NOT NULL,
    tier             INTEGER  NOT NULL,
    base             INTEGER  NOT NULL,
    monthly          INTEGER  NOT NULL,
    amount           INTEGER  NOT NULL,
    description      TEXT     NOT NULL,
    status           TEXT     NOT NULL,
    channel_order_no TEXT     NOT NULL DEFAULT '',
    pay_url          TEXT     NOT NULL DEFAULT '',
    fail_reason      TEXT     NOT NULL DEFAULT '',
    created_at       DATETIME NOT NULL,
    settled_at       DATETIME NULL,
    UNIQUE (payer_ref, idempotency_key)
);
CREATE INDEX contribution_order_payer ON contribution_order (payer_ref, id);

CREATE TABLE contribution_order_month (
    payer_ref TEXT    NOT NULL,
    month     INTEGER NOT NULL,
    order_id  TEXT    NOT NULL,
    PRIMARY KEY (payer_ref, month)
);

CREATE TABLE contribution_payment (
    order_id         TEXT     NOT NULL PRIMARY KEY,
    receipt_no       TEXT     NOT NULL UNIQUE,
    notify_id        TEXT     NOT NULL,
    channel_order_no TEXT     NOT NULL,
    amount           INTEGER  NOT NULL,
    paid_at          DATETIME NOT NULL,
    recorded_at      DATETIME NOT NULL
);

-- +goose Down
DROP TABLE contribution_payment;
DROP TABLE contribution_order_month;
DROP TABLE contribution_order;
