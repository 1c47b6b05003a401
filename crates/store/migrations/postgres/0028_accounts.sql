-- The staff roster (職員名簿) and the accounts of the facility's own systems (a device or a way
-- in), which Mamori checks against each other. These are not Mamori's users (app_user).
-- Dates are ISO text (YYYY-MM-DD), yes/no columns 0/1, unknown NULL. An import replaces the
-- roster, or one system's inventory, whole (one audited transaction); what a person declared
-- of an account (whose it is, default or reused password) is kept across imports by name.
CREATE TABLE staff (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    position BIGINT NOT NULL,
    staff_no TEXT,
    name TEXT NOT NULL,
    job TEXT NOT NULL,
    department TEXT,
    started TEXT,
    left_on TEXT,
    logins TEXT NOT NULL
);
CREATE INDEX staff_facility ON staff (facility_id, position);

CREATE TABLE system_account (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    asset_id BIGINT REFERENCES asset (id),
    connection_id BIGINT REFERENCES connection_point (id),
    name TEXT NOT NULL,
    full_name TEXT,
    description TEXT,
    holder TEXT,
    person TEXT,
    admin BIGINT NOT NULL,
    domain_admin BIGINT NOT NULL,
    role TEXT,
    enabled BIGINT,
    last_logon TEXT,
    password_set TEXT,
    two_factor BIGINT,
    default_password BIGINT NOT NULL,
    reused_password BIGINT NOT NULL,
    source TEXT NOT NULL,
    CHECK ((asset_id IS NULL) <> (connection_id IS NULL))
);
CREATE INDEX system_account_facility ON system_account (facility_id, asset_id, connection_id);
