-- A system's password settings as `net accounts` printed them (one row per system, replaced
-- when an import brings them again). NULL max_age_days: passwords never have to change; NULL
-- lockout_threshold: the account never locks.
CREATE TABLE system_policy (
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    asset_id BIGINT NOT NULL,
    connection_id BIGINT NOT NULL,
    min_length BIGINT NOT NULL,
    max_age_days BIGINT,
    lockout_threshold BIGINT,
    source TEXT NOT NULL,
    PRIMARY KEY (facility_id, asset_id, connection_id)
);
