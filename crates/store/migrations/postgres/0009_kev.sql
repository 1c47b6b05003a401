-- Feeds are stored once for the deployment, not per facility. The KEV catalog, and the
-- record of every feed import (source, version, what it changed).

CREATE TABLE kev_entry (
    cve TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    vendor_project TEXT NOT NULL,
    product TEXT NOT NULL,
    name TEXT NOT NULL,
    date_added TEXT NOT NULL,
    description TEXT NOT NULL,
    required_action TEXT NOT NULL,
    due_date TEXT,
    ransomware BIGINT NOT NULL,
    notes TEXT NOT NULL,
    cwes TEXT NOT NULL
);

CREATE TABLE feed_import (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed TEXT NOT NULL,
    source TEXT NOT NULL,
    version TEXT NOT NULL,
    added BIGINT NOT NULL,
    changed BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    applied BIGINT NOT NULL,
    imported_at BIGINT NOT NULL
);
