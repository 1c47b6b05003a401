-- The software installed on a device, as its uninstall list or `winget list` gave it: the
-- whole list of a device is replaced by each import (one transaction, audited).
CREATE TABLE asset_software (
    asset_id BIGINT NOT NULL REFERENCES asset (id),
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    name TEXT NOT NULL,
    version TEXT,
    publisher TEXT
);
CREATE INDEX asset_software_facility ON asset_software (facility_id, asset_id);
