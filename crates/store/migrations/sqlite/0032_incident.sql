-- The contact chart (連絡体制図) and the first responses to an attack, drills included: each
-- step ticked with its time and who (also in the audit chain). Roles and steps are stable
-- codes (domain::incident); times are epoch milliseconds.
CREATE TABLE contact (
    id INTEGER PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    position BIGINT NOT NULL,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT,
    after_hours TEXT,
    note TEXT
);
CREATE INDEX contact_facility ON contact (facility_id, position);

CREATE TABLE incident (
    id INTEGER PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    drill BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX incident_facility ON incident (facility_id, started_at);

CREATE TABLE incident_step (
    incident_id BIGINT NOT NULL REFERENCES incident (id),
    step TEXT NOT NULL,
    done_at BIGINT NOT NULL,
    done_by TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (incident_id, step)
);
