-- What a network scan showed next to the ledger, for a person to review. A newer scan
-- supersedes the open findings of the one before.

CREATE TABLE scan_finding (
    id INTEGER PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    kind TEXT NOT NULL CHECK (kind IN ('unknown-host', 'not-seen', 'version-seen', 'risky-service')),
    asset_id BIGINT REFERENCES asset (id),
    ip TEXT,
    detail TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'dismissed', 'superseded')),
    source TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX scan_finding_facility ON scan_finding (facility_id, status);
