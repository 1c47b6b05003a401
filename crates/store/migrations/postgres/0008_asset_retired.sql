-- A device taken out of service is retired, not deleted: its history stays in the audit
-- chain and the monthly review lists it as removed.

ALTER TABLE asset ADD COLUMN retired_at BIGINT;
