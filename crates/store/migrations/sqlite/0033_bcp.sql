-- The parts of the cyber-attack BCP only the director can write: sections of text (codes of
-- domain::bcp::Section), each department's paper operation with the forms to print (one per
-- line), and each approval (the newest counts; days ISO text, times epoch milliseconds).
CREATE TABLE bcp_section (
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    section TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (facility_id, section)
);

CREATE TABLE bcp_paper (
    id INTEGER PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    position BIGINT NOT NULL,
    department TEXT NOT NULL,
    procedure TEXT NOT NULL,
    forms TEXT NOT NULL
);
CREATE INDEX bcp_paper_facility ON bcp_paper (facility_id, position);

CREATE TABLE bcp_approval (
    id INTEGER PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    approved_by TEXT NOT NULL,
    approved_on TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX bcp_approval_facility ON bcp_approval (facility_id, approved_on);
