-- The facility's 医療情報システム安全管理責任者 (checklist item 1-①) as the facility records
-- it: the person's name and the day of the appointment. One row per facility, replaced when
-- the officer changes (each change in the facility's audit chain).
CREATE TABLE security_officer (
    facility_id BIGINT NOT NULL PRIMARY KEY REFERENCES facility (id),
    name TEXT NOT NULL,
    appointed_on TEXT,
    recorded_at BIGINT NOT NULL
);
