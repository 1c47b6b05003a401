-- Network segments of a facility and the flows allowed between them. Devices and connection
-- points name their segment by the same text as segment.name.

CREATE TABLE segment (
    id INTEGER PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    name TEXT NOT NULL,
    zone TEXT NOT NULL CHECK (zone IN ('clinical', 'business', 'maintenance', 'dmz', 'guest', 'other')),
    notes TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (facility_id, name)
);

CREATE TABLE segment_flow (
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    from_segment BIGINT NOT NULL REFERENCES segment (id),
    to_segment BIGINT NOT NULL REFERENCES segment (id),
    note TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (from_segment, to_segment)
);
