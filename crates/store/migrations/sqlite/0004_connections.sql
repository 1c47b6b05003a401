-- Vendors (事業者) and connection points (院外との接続点) of a facility. Assets name their
-- vendor by the same text as vendor.name; reachable segments are names, as on assets.

CREATE TABLE vendor (
    id INTEGER PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    name TEXT NOT NULL,
    phone_24h TEXT,
    contact TEXT,
    contract TEXT,
    notes TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (facility_id, name)
);

CREATE TABLE connection_point (
    id INTEGER PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    asset_id BIGINT REFERENCES asset (id),
    vendor TEXT,
    availability TEXT NOT NULL,
    authentication TEXT NOT NULL,
    source_restriction TEXT NOT NULL,
    sources TEXT,
    reachable_segments TEXT NOT NULL DEFAULT '[]',
    credentials_changed_on TEXT,
    last_used_on TEXT,
    contract_notes TEXT,
    notes TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX connection_point_facility ON connection_point (facility_id);
