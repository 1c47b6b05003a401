-- The fingerprint of what the last evaluation observed (findings and device versions): an
-- evaluation that observes the same changes nothing and skips reading every finding.

ALTER TABLE finding_run ADD COLUMN observed TEXT NOT NULL DEFAULT '';
