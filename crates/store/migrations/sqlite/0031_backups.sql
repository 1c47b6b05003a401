-- Backups of the facility's systems (a device of the ledger each): the copies, the restore
-- goals and the restore drills. Choices are stable codes (domain::backup), dates ISO text
-- (YYYY-MM-DD), yes/no 0/1 with NULL for not known.
CREATE TABLE backup_copy (
    id INTEGER PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    asset_id BIGINT NOT NULL REFERENCES asset (id),
    medium TEXT NOT NULL,
    place TEXT NOT NULL,
    link TEXT NOT NULL,
    immutable BIGINT NOT NULL,
    admin_can_delete BIGINT,
    holder_id BIGINT REFERENCES asset (id),
    every_days BIGINT,
    generations BIGINT,
    encrypted BIGINT,
    last_success TEXT,
    note TEXT
);
CREATE INDEX backup_copy_facility ON backup_copy (facility_id, asset_id);

-- RPO and RTO in hours; NULL: not set.
CREATE TABLE backup_goal (
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    asset_id BIGINT NOT NULL REFERENCES asset (id),
    rpo_hours BIGINT,
    rto_hours BIGINT,
    PRIMARY KEY (facility_id, asset_id)
);

-- A drill without a result is planned; evidence_number names the kept verification report.
CREATE TABLE restore_drill (
    id INTEGER PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    asset_id BIGINT NOT NULL REFERENCES asset (id),
    drill_on TEXT NOT NULL,
    what TEXT NOT NULL,
    result TEXT,
    minutes BIGINT,
    problems TEXT,
    verified BIGINT NOT NULL,
    evidence_number BIGINT
);
CREATE INDEX restore_drill_facility ON restore_drill (facility_id, asset_id, drill_on);
