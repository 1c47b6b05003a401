-- The MHLW checklist as answered by the facility: rounds of one version (a round is locked
-- when the director signs it off; the next starts from the last one's answers), and every
-- answer ever given to an item (the newest per item is the answer; the rest its history).
-- `proposal` is what Mamori proposed when the person answered.
CREATE TABLE checklist_round (
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    version TEXT NOT NULL,
    round BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    locked_at BIGINT,
    locked_by BIGINT REFERENCES app_user (id),
    PRIMARY KEY (facility_id, version, round)
);
CREATE TABLE checklist_answer (
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    version TEXT NOT NULL,
    round BIGINT NOT NULL,
    topic TEXT NOT NULL,
    seq BIGINT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'not-applicable')),
    checked_on TEXT NOT NULL,
    target_on TEXT,
    comment TEXT NOT NULL,
    proposal TEXT NOT NULL,
    answered_by BIGINT REFERENCES app_user (id),
    answered_at BIGINT NOT NULL,
    PRIMARY KEY (facility_id, version, round, topic, seq)
);
