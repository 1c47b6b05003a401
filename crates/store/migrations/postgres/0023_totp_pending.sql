-- A new phone's second-factor secret (sealed like totp_secret), kept beside the current one
-- until the new phone's first code confirms it: the old phone works until then. It is good
-- for a short time from `totp_pending_at` only.
ALTER TABLE app_user ADD COLUMN totp_pending TEXT;
ALTER TABLE app_user ADD COLUMN totp_pending_at BIGINT;
