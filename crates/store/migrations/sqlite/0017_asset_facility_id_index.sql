-- A facility's devices in id order, a page at a time (`Store::assets`): with only the
-- (facility_id, name) index, PostgreSQL read every device of the facility and sorted them
-- for each page while its statistics were missing or stale (after a large import), so reading
-- 100,000 devices took 3.9 s. With this index each page starts where the last one ended.
CREATE INDEX asset_facility_id ON asset (facility_id, id);
