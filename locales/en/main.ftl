# Mamori's English messages. Japanese is ../ja/main.ftl; both hold the same ids (a test checks).

app-name = Mamori
app-tagline = The ledger and checks that keep hospitals and clinics safe from ransomware

## Fields
field-short-name = Short name
field-facility-name = Official name
field-facility-kind = Kind
field-beds = Beds
field-prefecture = Prefecture
field-region-name = Region name
field-asset-name = Device name
field-asset-kind = Device kind
field-ip-address = IP address
field-remote-maintenance = Remote maintenance

## Rules
rule-required = Please fill this in
rule-too-long = Use at most { $max } characters
rule-short-name-chars = Start with a lower-case letter and use only lower-case letters, digits and hyphens (e.g. sakura-clinic)
rule-not-a-number = Enter a number
rule-hospital-beds = A hospital has 20 beds or more. With 19 or fewer, choose the kind "clinic"
rule-clinic-beds = A clinic has at most 19 beds. With 20 or more, choose the kind "hospital"
rule-pharmacy-beds = A pharmacy has no beds. Enter 0 or leave it empty
rule-unknown-facility-kind = Choose hospital, clinic or pharmacy
rule-unknown-prefecture = Give a prefecture name (e.g. Tokyo) or its JIS code 1–47
rule-unknown-asset-kind = Choose one of the listed device kinds
rule-not-an-ip-address = This is not an IP address (e.g. 192.168.1.10)
rule-unknown-remote-maintenance = Choose yes, no or unknown

# { $field } label, { $value } what was given, { $rule } the rule
error-invalid = "{ $field }": "{ $value }" cannot be used. { $rule }

## Facility kinds
facility-kind-hospital = Hospital
facility-kind-clinic = Clinic
facility-kind-pharmacy = Pharmacy

## Database and configuration errors
error-url-unknown-scheme = Cannot read the database URL "{ $url }". Write it as sqlite://FILE or postgres://USER@HOST/DATABASE
error-url-empty-path = The database URL "{ $url }" names no file. Write it like sqlite://mamori.db
error-no-such-file = The database file { $path } does not exist. Check the name, or create it first with mamori migrate
error-connect-sqlite = Cannot open the SQLite database { $url } ({ $detail }). Check that the folder exists and is writable
error-connect-postgres = Cannot connect to PostgreSQL { $url } ({ $detail }). Check that the server runs, and the host, port, user and password
error-newer-schema = This database was made by a newer Mamori (schema { $found }; this version knows up to { $known }). Use the newer mamori. Nothing was changed
error-migration-edited = Applied migration { $version } has changed. Use mamori as distributed. Nothing was changed
error-not-migrated = The database needs updating (migrations { $pending }). Run mamori migrate
error-wrong-audit-key = The audit key (fingerprint { $given }) is not this database's key (fingerprint { $expected }). Give the key file this database was created with
error-not-found-facility = No facility "{ $key }" is registered. See mamori facility list
error-not-found-region = No region "{ $key }" is registered
error-not-found = { $what } "{ $key }" not found
error-conflict-facility = A facility with the short name "{ $key }" already exists. Choose another short name
error-conflict-region = The region "{ $key }" already exists
error-conflict = { $what } "{ $key }" already exists
error-corrupt = The stored value "{ $value }" of { $table }.{ $column } (row { $id }) cannot be read; it may have been edited by hand. Restore from a backup or call your administrator
error-unaudited = A write without an audit record was stopped (a bug). Please report it
error-database = A database operation failed: { $detail }

## Configuration
error-config-read = Cannot read the configuration file { $path }: { $detail }
error-config-parse = The configuration file { $path } has an error: { $detail }
error-config-version = The configuration file { $path } says version = { $found }, which this Mamori does not support. Use version = 1
error-config-env = The environment variable { $name } has a value "{ $value }" that cannot be used: { $detail }
error-bind = Cannot listen on { $bind } ({ $detail }). Give another port with --bind
error-key-read = Cannot read the audit key file { $path }: { $detail }
error-key-format = The audit key file { $path } is not valid (it should hold 64 hexadecimal digits). Restore the key file from when the database was created
error-key-missing = The audit key file { $path } does not exist. This database already has audit records, so no new key is made. Restore the original key file, or set audit_key_file to where it is
error-key-write = Cannot create the audit key file { $path }: { $detail }

## Commands
cli-about = Mamori: ransomware defence for hospitals and clinics. Ledger, external connections, vulnerabilities, checklist, audit log.
cli-database-url = Where the database is (sqlite://FILE or postgres://…). Default sqlite://mamori.db
cli-config = Configuration file (TOML). Default ./mamori.toml when it exists
cli-serve = Start the web interface
cli-bind = Address and port to listen on (e.g. 127.0.0.1:8080)
cli-demo = Load a demo clinic and start the web interface (uses its own database file)
cli-migrate = Bring the database up to date
cli-migrate-check = Change nothing; show the updates that would run (exit code 1 if any)
cli-facility = Register and list facilities (hospitals, clinics, pharmacies)
cli-facility-add = Register a facility
cli-facility-short = Short name (lower-case letters, digits, hyphens; e.g. sakura-clinic)
cli-facility-name = Official name (e.g. 医療法人さくら会 さくら内科クリニック)
cli-facility-kind = Kind: hospital, clinic or pharmacy
cli-facility-beds = Number of beds
cli-facility-prefecture = Prefecture (e.g. Tokyo or 東京都)
cli-facility-list = List facilities
cli-format = Output format: table, or json for scripts
cli-audit = Work with the audit log
cli-audit-verify = Check the audit log for tampering (exit code 1 if any is found)
cli-config-cmd = Work with the configuration file
cli-config-example = Print a commented example configuration file

## Command results
migrate-none = The database is up to date (schema { $version })
migrate-applied = Applied migration { $version } { $name }
migrate-would-apply = Would apply migration { $version } { $name }
migrate-check-new = The database does not exist yet. The first start applies every migration
facility-added = Registered facility "{ $name }" (short name { $short }, id { $id })
facility-none = No facility is registered yet. Register one with mamori facility add
audit-ok = Checked { $count } audit records. No tampering found (newest record { $head })
audit-altered = Audit record { $seq } differs from what was recorded (it was edited)
audit-missing = Audit records { $expected } to { $last } are missing (deleted)
audit-unlinked = Audit record { $seq } does not follow the record before it (a record was deleted, replaced or moved)
audit-reordered = Audit record { $seq } is out of order
audit-tail-missing = The newest audit records { $seq } to { $head } are missing (deleted)
audit-checked-before = The { $count } records before it are intact
demo-ready = The demo clinic is ready. Open { $url } in a browser (Ctrl+C stops it)
demo-reused = Using the demo clinic from last time.
serve-ready = Mamori is running at { $url } (Ctrl+C stops it)
key-created = Created the audit key file { $path }. Back it up somewhere other than the database

## Column headings
col-id = ID
col-short-name = Short name
col-name = Official name
col-kind = Kind
col-beds = Beds
col-prefecture = Prefecture
col-assets = Devices in ledger

## Pages
page-home-title = Registered facilities
page-home-lead = The medical facilities registered in this Mamori.
page-home-empty = No facility is registered yet. Run "mamori facility add" on the server to register one.
page-home-count = { $count ->
    [one] { $count } facility
   *[other] { $count } facilities
}
page-footer = Mamori { $version } — works without any outside connection
page-not-found = Page not found
page-error = Something went wrong. Tell your administrator the operation id { $id }
lang-switch = 日本語
beds-none = —
