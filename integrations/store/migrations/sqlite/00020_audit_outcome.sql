-- +goose Up
-- Whether the audited action succeeded (GB/T 22239 level 3 asks every audit
-- record to say so): 'ok', or the domain error code that stopped it.
ALTER TABLE audit_log ADD COLUMN outcome TEXT NOT NULL DEFAULT 'ok';

-- +goose Down
ALTER TABLE audit_log DROP COLUMN outcome;
