-- People who sign in to Mamori, their roles per facility, their second factor, and their
-- web sessions. Session tokens and recovery codes are stored only as SHA-256 hashes, so a
-- copy of the database does not let anyone take over a session.

CREATE TABLE app_user (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT,
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_confirmed_at BIGINT,
    totp_last_step BIGINT,
    failed_signins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE membership (
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    role TEXT NOT NULL CHECK (role IN ('director', 'it_staff', 'advisor', 'vendor', 'viewer')),
    vendor_name TEXT,
    expires_at BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, facility_id)
);
CREATE INDEX membership_facility ON membership (facility_id);

CREATE TABLE recovery_code (
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE web_session (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    stage TEXT NOT NULL CHECK (stage IN ('totp', 'enrol', 'complete')),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX web_session_user ON web_session (user_id);

-- 1 when every user of the facility must use a second factor, not only directors,
-- advisors and vendors.
ALTER TABLE facility ADD COLUMN totp_required_for_all BIGINT NOT NULL DEFAULT 0;
