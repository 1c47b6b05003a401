-- A ledger import looks devices up by name and by serial number; a page of the ledger reads a
-- facility's devices in id order. Before, all three indexes began with the facility, so for a
-- facility its statistics did not know yet (one whose first import runs while another
-- facility's does) PostgreSQL saw them as equally good for a lookup and could take one that
-- reads every device the import had written so far, for each row: two 100,000-row imports at
-- once ran for more than 18 minutes. Now the lookup indexes begin with what is looked up, and
-- the paging index covers only devices in the ledger (which PostgreSQL's lookups do not ask
-- for inside their subquery), so each lookup has one index that fits.
DROP INDEX asset_name;
DROP INDEX asset_serial;
DROP INDEX asset_facility_id;
CREATE INDEX asset_name ON asset (name, facility_id);
CREATE INDEX asset_serial ON asset (serial, facility_id);
CREATE INDEX asset_facility_id ON asset (facility_id, id) WHERE retired_at IS NULL;
