-- The rest of an asset's ledger columns (MHLW checklist 2-①): MAC address, serial number,
-- network segment, owning department, remote-maintenance method, and the dates clinics keep.
-- Dates are ISO 'YYYY-MM-DD' text, which sorts and compares as dates on both backends.

ALTER TABLE asset ADD COLUMN remote_method TEXT;
ALTER TABLE asset ADD COLUMN mac TEXT;
ALTER TABLE asset ADD COLUMN serial TEXT;
ALTER TABLE asset ADD COLUMN segment TEXT;
ALTER TABLE asset ADD COLUMN owner_department TEXT;
ALTER TABLE asset ADD COLUMN acquired_on TEXT;
ALTER TABLE asset ADD COLUMN end_of_support TEXT;
ALTER TABLE asset ADD COLUMN version_checked_on TEXT;
CREATE INDEX asset_serial ON asset (facility_id, serial);
