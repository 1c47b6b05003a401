-- A monthly review (月次点検) as it was signed off: numbered per facility from 1 without gaps,
-- never changed afterwards. `body` holds the review as it read that day (the wording in each
-- language and the data), so it prints again later exactly as signed.
CREATE TABLE review_record (
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    number BIGINT NOT NULL,
    since TEXT NOT NULL,
    reviewed_on TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    note TEXT NOT NULL,
    body TEXT NOT NULL,
    saved_by BIGINT REFERENCES app_user (id),
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (facility_id, number)
);
