-- An import looks up the devices a batch of rows may be by name and by serial number, each
-- by its own index. The index on facility_id alone goes: the two serve every query by
-- facility as well, and with it SQLite (without statistics) scanned the whole facility
-- for every batch instead.

CREATE INDEX asset_name ON asset (facility_id, name);
DROP INDEX asset_facility;
