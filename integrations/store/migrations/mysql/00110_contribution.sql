-- +goose Up
-- Contribution payment orders (社保缴费订单): a flexible-employment person
-- paying a run of months at a chosen base tier, or a unit paying a month's
-- assessment, through the payment channel. The order id is the channel's
-- idempotency key. (payer_ref, idempotency_key) makes a double tap one
-- order.
CREATE TABLE contribution_order (
    id               VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    payer_kind       VARCHAR(8)   CHARACTER SET ascii NOT NULL,
    payer_ref        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    payer_sealed     VARCHAR(160) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    payer_display    VARCHAR(128) NOT NULL,
    actor_ref        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel          VARCHAR(16)  CHARACTER SET ascii NOT NULL,
    idempotency_key  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    insurance        VARCHAR(16)  CHARACTER SET ascii NOT NULL,
    first_month      INT          NOT NULL,
    last_month       INT          NOT NULL,
    tier             INT          NOT NULL,
    base             BIGINT       NOT NULL,
    monthly          BIGINT       NOT NULL,
    amount           BIGINT       NOT NULL,
    description      VARCHAR(64)  NOT NULL,
    status           VARCHAR(16)  CHARACTER SET ascii NOT NULL,
    channel_order_no VARCHAR(64)  NOT NULL DEFAULT '',
    pay_url          VARCHAR(512) NOT NULL DEFAULT '',
    fail_reason      VARCHAR(200) NOT NULL DEFAULT '',
    created_at       DATETIME(3)  NOT NULL,
    settled_at       DATETIME(3)  NULL,
    UNIQUE KEY contribution_order_idempotency (payer_ref, idempotency_key),
    KEY contribution_order_payer (payer_ref, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The months an open or paid order covers, one row each: the primary key
-- keeps two orders from covering one month of one payer. A failed order
-- gives its months back.
CREATE TABLE contribution_order_month (
    payer_ref VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    month     INT         NOT NULL,
    order_id  VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (payer_ref, month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A payment, recorded once per order however many notifications say so:
-- the primary key is the order id.
CREATE TABLE contribution_payment (
    order_id         VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    receipt_no       VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    notify_id        VARCHAR(64) NOT NULL,
    channel_order_no VARCHAR(64) NOT NULL,
    amount           BIGINT      NOT NULL,
    paid_at          DATETIME(3) NOT NULL,
    recorded_at      DATETIME(3) NOT NULL,
    UNIQUE KEY contribution_payment_receipt (receipt_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE contribution_payment;
DROP TABLE contribution_order_month;
DROP TABLE contribution_order;
