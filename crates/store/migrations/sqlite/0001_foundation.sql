-- Foundation: deployment identity, facilities and regions, the first slice of the ledger,
-- and the audit chain. Times are Unix epoch milliseconds (UTC) in BIGINT columns on both
-- backends, so that comparisons and sorting behave the same on SQLite and PostgreSQL.

CREATE TABLE deployment (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    audit_key_fingerprint TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE facility (
    id INTEGER PRIMARY KEY,
    short_name TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('hospital', 'clinic', 'pharmacy')),
    beds BIGINT CHECK (beds IS NULL OR beds >= 0),
    prefecture BIGINT CHECK (prefecture IS NULL OR prefecture BETWEEN 1 AND 47),
    created_at BIGINT NOT NULL
);

CREATE TABLE region (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    core_facility_id BIGINT REFERENCES facility (id),
    created_at BIGINT NOT NULL
);

-- A facility belongs to at most one region.
CREATE TABLE region_member (
    facility_id BIGINT PRIMARY KEY REFERENCES facility (id),
    region_id BIGINT NOT NULL REFERENCES region (id)
);

CREATE TABLE asset (
    id INTEGER PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    roles TEXT NOT NULL DEFAULT '[]',
    location TEXT,
    ip TEXT,
    maker TEXT,
    model TEXT,
    os_name TEXT,
    os_version TEXT,
    vendor TEXT,
    remote_maintenance TEXT NOT NULL CHECK (remote_maintenance IN ('yes', 'no', 'unknown')),
    notes TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX asset_facility ON asset (facility_id);

-- The newest record of the audit chain. Every write locks this row first, which serialises
-- appends on both backends.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- No foreign key to facility: the audit trail outlives what it describes.
CREATE TABLE audit_record (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    facility_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    summary TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_record_facility ON audit_record (facility_id, seq);
