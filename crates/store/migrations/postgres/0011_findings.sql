-- Vulnerability findings of a facility: a device × CVE that re-evaluation found affected or
-- could not judge, with its status and history. Re-evaluation after every ledger or feed
-- change closes what was fixed (closed_at) and opens what is new; a person may accept the
-- risk for a time, or record that passwords and sessions were changed.

CREATE TABLE vuln_finding (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    asset_id BIGINT NOT NULL REFERENCES asset (id),
    cve TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('vulnerability', 'credentials')),
    outcome TEXT NOT NULL CHECK (outcome IN ('affected', 'needs-review')),
    kev BIGINT NOT NULL,
    ransomware BIGINT NOT NULL,
    edge BIGINT NOT NULL,
    cvss_tenths BIGINT,
    opened_at BIGINT NOT NULL,
    closed_at BIGINT,
    accepted_reason TEXT,
    accepted_by TEXT,
    accepted_until TEXT,
    credentials_changed TEXT,
    UNIQUE (asset_id, cve, kind)
);
CREATE INDEX vuln_finding_facility ON vuln_finding (facility_id, closed_at);

-- What happened to a finding, oldest first: opened, fixed, reopened, outcome, accepted,
-- withdrawn, credentials-changed.
CREATE TABLE vuln_finding_event (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    finding_id BIGINT NOT NULL REFERENCES vuln_finding (id),
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    at BIGINT NOT NULL,
    event TEXT NOT NULL,
    actor TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX vuln_finding_event_facility ON vuln_finding_event (facility_id, at);

-- Every OS / firmware version a device was seen with, from the first evaluation that saw it
-- (for "did it ever run a version that leaked credentials"; a version ran until the next
-- one was first seen).
CREATE TABLE asset_version_seen (
    asset_id BIGINT NOT NULL REFERENCES asset (id),
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    os TEXT COLLATE "C" NOT NULL,
    version TEXT COLLATE "C" NOT NULL,
    first_seen BIGINT NOT NULL,
    PRIMARY KEY (asset_id, os, version)
);

-- What a facility's findings were last evaluated with: the feed stamp (newest feed import)
-- and the matching rules (Mamori's version, whose alias table may have grown).
CREATE TABLE finding_run (
    facility_id BIGINT NOT NULL PRIMARY KEY REFERENCES facility (id),
    feed_stamp BIGINT NOT NULL,
    rules TEXT NOT NULL,
    at BIGINT NOT NULL
);
