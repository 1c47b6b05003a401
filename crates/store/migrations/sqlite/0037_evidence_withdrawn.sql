-- A document kept by mistake (the wrong file, the wrong vendor) is withdrawn, not deleted:
-- it no longer counts for any item and is no longer listed, but its row, its file and the
-- reason stay, and the audit chain says who withdrew it and when.
ALTER TABLE evidence ADD COLUMN withdrawn_at BIGINT;
ALTER TABLE evidence ADD COLUMN withdrawn_by BIGINT REFERENCES app_user (id);
ALTER TABLE evidence ADD COLUMN withdrawn_reason TEXT;
