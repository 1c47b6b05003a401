-- A one-time link with which a person the director added sets their own password: only the
-- digest of the link's secret is kept; it works once and until it expires.
CREATE TABLE setup_link (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX setup_link_user ON setup_link (user_id);
