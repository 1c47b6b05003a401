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
error-invalid-secret = "{ $field }": { $rule }

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
page-footer = Mamori { $version } — works without any outside connection
page-not-found = Page not found
page-error = Something went wrong. Tell your administrator the operation id { $id }
lang-switch = 日本語
beds-none = —

## Fields (accounts)
field-email = E-mail address
field-password = Password
field-role = Role
field-code = Code
rule-not-an-email = This is not an e-mail address (e.g. director@clinic.example)
rule-weak-password = Use at least 8 characters mixing letters, digits and symbols, or 13 characters or more (the MHLW checklist's rule)
rule-common-password = This password is common and easy to guess. Choose another
rule-password-has-facility-name = A password containing the facility's name is easy to guess and cannot be used
rule-unknown-role = Choose director, it_staff, advisor, vendor or viewer

## Roles
role-director = Director
role-it_staff = IT staff
role-advisor = Regional advisor
role-vendor = Vendor
role-viewer = Viewer

## Device kinds
asset-kind-server = Server
asset-kind-pc = PC
asset-kind-router = Router
asset-kind-utm = UTM
asset-kind-firewall = Firewall
asset-kind-vpn-appliance = VPN appliance
asset-kind-switch = Switch
asset-kind-wifi-ap = Wi-Fi access point
asset-kind-modality = Medical device (imaging, testing)
asset-kind-pacs = PACS
asset-kind-lab-analyser = Lab analyser
asset-kind-medical-other = Other medical device
asset-kind-storage = NAS / storage
asset-kind-cloud = Cloud service
asset-kind-other = Other
remote-yes = Yes
remote-no = No
remote-unknown = Unknown

## Frame
skip-to-content = Skip to content
switch-facility = Switch facility
sign-out = Sign out
nav-label = Facility menu
back-to-start = Back to the start page
yes = Yes
no = No
save = Save
nav-dashboard = Overview
nav-ledger = Ledger (devices)
nav-connections = Ways in from outside
nav-vulnerabilities = Vulnerabilities
nav-checklist = Checklist
nav-accounts = Accounts
nav-logs = Logs
nav-backup = Backup & BCP
nav-audit = Audit log
nav-members = Mamori users

## Sign-in
login-title = Sign in
login-submit = Sign in
login-hint = Accounts are made by the facility's director, or on the server with mamori user add.
login-failed = The e-mail address or the password is wrong.
login-locked = Too many failed attempts: signing in is blocked for a while. Wait about 15 minutes and try again.
login-too-long = Too long. E-mail addresses have at most 254 characters, passwords at most 256.
login-expired = You were signed out after a while without activity. Please sign in again.
login-signed-out = You have signed out.
login-code-title = Enter your code
login-code-lead = Enter the 6-digit number your authenticator app shows.
login-code-submit = Confirm
login-code-wrong = The code is wrong or was already used. Enter the new code your app shows.
login-code-format = The code has 6 digits (a recovery code looks like xxxxx-xxxxx).
login-code-recovery = Lost your phone? Enter one of the recovery codes (xxxxx-xxxxx) you kept when setting up.

## Second factor
enrol-title = Set up two-step sign-in
enrol-lead = Here you sign in with your password and a code from your phone. Even if the password leaks, nobody else can sign in.
enrol-step-app = Install an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, …).
enrol-step-scan = Scan this QR code with the app.
enrol-manual = If it cannot be scanned, type this key:
enrol-step-code = Enter the 6-digit number the app shows.
enrol-submit = Set up
enrol-code-wrong = The code is wrong. Enter the latest 6 digits the app shows.
enrol-done = Two-step sign-in is set up.
recovery-title = Recovery codes
recovery-lead = Use these if you lose your phone. They are shown only once: print or copy them and keep them somewhere safe. Each code works once.
recovery-continue = I have kept them — continue

## Start
home-title = Choose a facility
home-none = You are not registered in any facility yet. Ask the facility's director to add you.

## Overview
dash-assets = Devices in the ledger
dash-assets-vendor = Devices in the ledger that your company maintains
dash-remote-title = Devices maintained from outside
dash-remote = Devices with "remote maintenance: yes" in the ledger. They are common ways in; check how they are reached.
dash-members = Mamori users of this facility
dash-audit = Audit records of this facility
dash-audit-latest = Newest:
dash-later-title = Pages still to come
dash-later = These pages are being built one by one. They show no figures yet.

## Ledger
ledger-lead = The facility's devices.
ledger-lead-vendor = The facility's devices that your company maintains.
ledger-empty = The ledger has no devices yet.
col-roles = Used for
col-location = Location
col-product = Maker and model
col-version = OS / firmware
col-vendor = Maintained by

## Pages to come
area-not-yet = This page is not built yet.
area-vulnerabilities-purpose = The ledger's devices matched offline against known-exploited vulnerabilities (KEV, NVD, JVN), with the devices to fix first.
area-checklist-purpose = The MHLW cybersecurity checklist for medical institutions, evaluated from the ledger and other data, printable for the inspection.
area-accounts-purpose = The accounts and rights of the EHR and devices, to find shared accounts and too many administrators.
area-logs-purpose = VPN and server logs, with detections of brute force, sign-ins outside maintenance windows and RDP lateral movement.
area-backup-purpose = Whether backups are offline or immutable and restore drills were done; the BCP and the ransomware first-response playbook.

## Audit log
audit-page-lead = Changes and sign-ins in this facility. The records are chained: deleting or editing one shows in the status above.
col-seq = No.
col-when = When
col-who = Who
col-what = What
col-object = Object
action-deployment-init = Deployment started
action-facility-create = Facility registered
action-facility-join_region = Joined a region
action-facility-totp_policy = Two-step sign-in policy changed
action-region-create = Region registered
action-asset-create = Device registered
action-user-create = User created
action-membership-set = Role set
action-membership-remove = User removed
action-advisor-grant = Advisor access granted
action-advisor-revoke = Advisor access withdrawn
action-signin-success = Signed in
action-signin-failure = Sign-in failed
action-signin-lockout = Account locked
action-signin-recovery_code = Signed in with a recovery code
action-signout = Signed out
action-totp-start = Two-step setup started
action-totp-enrol = Two-step sign-in set up

## Users
members-locked = locked
members-remove = Remove
members-revoke = Withdraw consent
members-grant-title = Let a regional advisor read this facility
members-grant-lead = An advisor (for example at the core hospital) can then read this facility's information and advise (the facility's consent). You can withdraw it at any time; both are in the audit log.
members-grant-submit = Grant access
members-email-invalid = The e-mail address is not valid.
members-no-such-user = No user has this e-mail address. Ask the advisor's own facility to create the user first.
members-already = This user is already registered in this facility.
members-not-self = You cannot remove yourself.
members-policy-title = Two-step sign-in
members-policy-all = Require two-step sign-in of everyone in this facility
members-policy-hint = Directors, advisors and vendors always need it. When checked, IT staff and viewers need it too.
col-second-factor = Two-step

## Page errors
error-cross-site = Forms sent from another site are refused. Please use Mamori's own pages.
error-form-token = The form has expired or is not valid. Reload the page and try again.
error-too-large = The data sent is too large.
error-forbidden = You do not have the right to do this. Ask the facility's director if you need it.

## User commands
cli-user = Create and list Mamori users
cli-user-add = Create a user with a role in a facility (password from standard input; otherwise one is made and shown once)
cli-user-facility = Facility (id or short name)
cli-user-role = Role: director, it_staff, advisor, vendor, viewer
cli-user-email = E-mail address (used to sign in)
cli-user-name = Display name
cli-user-vendor = For a vendor: the "maintained by" name its devices carry in the ledger
cli-user-list = List users
user-added = Created user { $email } as { $role } of { $facility }
user-membership-added = Made existing user { $email } { $role } of { $facility }
user-password-generated = Initial password (shown only this once): { $password }
user-none = No user yet. Create one with mamori user add
col-email = E-mail
col-facilities = Facilities and roles
demo-signin = Sign in as the demo director: e-mail { $email } / password { $password }
demo-totp = Two-step key (shown for the demo only; add it to an authenticator app): { $secret }
cli-tls-cert = TLS certificate file (PEM). When given, Mamori serves HTTPS
cli-tls-key = TLS private key file (PEM)
error-tls-read = Cannot read the TLS file { $path }: { $detail }
error-tls-config = The TLS set-up is not valid: { $detail }
error-tls-pair = TLS needs both a certificate and a key (tls_cert_file and tls_key_file)
error-vendor-name = A vendor needs --vendor: the "maintained by" name its devices carry in the ledger
error-password-stdin = Cannot read the password from standard input: { $detail }

## Ledger fields and rules
field-mac-address = MAC address
field-date = Date
rule-not-a-mac-address = This is not a MAC address (e.g. 00:1A:2B:3C:4D:5E)
rule-not-a-date = This cannot be read as a date (e.g. 2024/4/1 or 令和6年4月1日)
rule-no-such-day = There is no such day
rule-outside-era = That era has no such day (Reiwa starts on 2019-05-01)

## Ledger import and export
ledger-problem = "{ $sheet }" row { $line } "{ $column }": { $detail }
ledger-problem-row = "{ $sheet }" row { $line }: { $detail }
ledger-no-sheet = "{ $sheet }": no header row with a device-name column. Write headers such as 機器名 (name), 種別 (kind), IPアドレス (IP address)
ledger-no-kind = The device has no kind. Add a "種別" (kind) column, or name the sheet after the kind (サーバ, パソコン, …)
ledger-duplicate-serial = Serial number "{ $serial }" is the same as in row { $first }. Correct one of them
ledger-same-device = The same device as row { $first } (same serial number, or same name and IP address)
error-ledger-conflicts = The ledger file has { $count } rows for devices already named in another row
error-file-too-large = The file is too large (at most { $limit } MB). Split the ledger into several files
error-file-empty = { $file } is empty
error-not-a-spreadsheet = { $file } is neither a spreadsheet (xlsx, xls, ods) nor a CSV file
error-file-encoding = Cannot read the character encoding of { $file }. Save it again from Excel as "CSV UTF-8" or "CSV (comma delimited)"
error-file-csv = Line { $line } of { $file } cannot be read as CSV (an unclosed quote " perhaps)
error-file-workbook = Cannot open { $file }: { $detail } (password-protected or damaged files cannot be read)
error-file-read = Cannot read { $file }: { $detail }
error-file-write = Cannot write { $file }: { $detail }
import-summary = Added { $added }, changed { $changed }, unchanged { $unchanged }. { $left } devices not in the file are left as they are
import-dry-run = Checked only (--dry-run): the database was not changed
import-done = The ledger was imported
import-failed = Nothing was imported because of { $count } problems. Correct the file and run again
import-unknown-column = Column "{ $column }" of "{ $sheet }" is not a Mamori field: its values are kept in the notes
import-skipped-sheet = Sheet "{ $sheet }" has no ledger header and was not read
import-change = Changed: { $name } ({ $fields })
import-add = Added: { $name }
export-done = Wrote { $count } devices of the ledger to { $file }
cli-import = Import from files
cli-import-ledger = Import a device ledger (xlsx, xls, ods, CSV). Writes only when every row is valid
cli-dry-run = Write nothing; show what would be added or changed, and the problems
cli-export = Export to files
cli-export-ledger = Export the device ledger as Excel (xlsx)
cli-assets = List the facility's devices
cli-file = File
col-name-asset = Device
col-kind-asset = Kind

## Ways in from outside
field-connection-name = Name
field-connection-kind = Kind of connection
field-availability = When it is connected
field-authentication = How the other side signs in
field-source-restriction = Source restriction
field-vendor-name = Vendor
field-segment-name = Network segment
field-notes = Notes
rule-unknown-choice = Choose one of the listed options
conn-kind-vendor-remote = Vendor remote maintenance (VPN etc.)
conn-kind-site-to-site = Line to a supplier (food service, lab…)
conn-kind-remote-reading = Remote image reading
conn-kind-cloud-ehr = Cloud EHR line
conn-kind-online-eligibility = Online eligibility check line
conn-kind-internet = Internet breakout
conn-kind-wifi = Wi-Fi
conn-kind-other = Other
availability-always-on = Always on
availability-on-demand = Only when needed
availability-unknown = Unknown
auth-shared-password = Shared password
auth-personal-password = Personal passwords
auth-two-factor = Two-factor
auth-certificate = Certificate
auth-unknown = Unknown
source-yes = Yes
source-no = None (open to anyone)
source-unknown = Unknown
gap-shared-password = Shared password (nobody knows who connected)
gap-no-source-restriction = No source restriction
gap-always-on = Always on
gap-old-credentials = Password unchanged for over a year (or date unknown)
gap-unknown-firmware = Firmware version of the device unknown
gap-unknown = Some answers unknown (ask the vendor)
conn-lead = Every way into the facility's network from outside. The Osaka (2022) and Tokushima (2021) attacks came in through maintenance VPNs nobody had listed. Red marks a weakness.
conn-add = Record a way in
conn-empty = No way in is recorded yet. Record every vendor remote-maintenance line, supplier link, cloud line and internet breakout.
conn-gap-summary = { $gaps } of { $count } ways in have weaknesses
conn-device = Device at the entrance
conn-gaps = Weaknesses
conn-no-gaps = No weakness found
conn-sources = Allowed source addresses
conn-segments = Networks reachable through it
conn-segments-example = clinical, maintenance
conn-credentials-changed = Password or certificate last changed
conn-last-used = Last used
conn-contract = Contract and responsibilities
conn-form-lead = Leave what you do not know as "Unknown" and correct it after asking the vendor.
conn-name-example = EHR vendor's remote-maintenance VPN
conn-no-such-device = The chosen device is not in this facility's ledger
vendors-title = Vendors
vendors-empty = No vendor is recorded yet.
vendor-phone = Night and holiday contact (24 h)
vendor-contact = Contact person
vendor-devices = Devices maintained
vendor-add = Record a vendor
dash-connections-weak = Ways in from outside with weaknesses
dash-vuln-devices = Devices that need action (affected or needing review)
dash-vuln-no-feed = No vulnerability data imported yet: nothing has been judged
dash-connections-all = Ways in recorded:
cli-connections = List the ways in from outside (connection points) and their weaknesses
import-title = Import the ledger from Excel
import-lead = Choose the device ledger file (Excel xlsx or xls, ods, CSV). Mamori checks it first and shows which devices would be added or changed. Nothing is written until you confirm.
import-file = Ledger file
import-check = Check the file
import-hint = A header row (機器名 / name, 種別 / kind, IPアドレス / IP address …) above the table is enough, even below title rows. Columns Mamori does not know are kept in the notes.
import-no-file = No file was chosen
import-problems-title = Correct these problems, then choose the file again. Nothing was imported.
import-preview-title = Check:
import-will-add = Devices to be added
import-will-change = Devices to be changed
import-confirm = Import as shown
import-cancel = Cancel
import-expired = The check has expired (after an hour) or was already imported. Choose the file again
import-see-ledger = See the ledger
ledger-import = Import from Excel
ledger-export = Export to Excel

## Network scans (nmap)
cli-import-nmap = Compare an nmap scan (-oX XML) with the ledger and keep what needs review
error-not-nmap = { $file } is not nmap XML (saved with -oX)
error-nmap-xml = The XML of { $file } is broken at byte { $position }. Save it again with nmap -oX
finding-unknown-host = A device not in the ledger is on the network: { $host }
finding-not-seen = "{ $name }" of the ledger did not answer the scan (removed, or switched off?)
finding-version-seen = The scan saw { $product } { $version } on "{ $name }" (port { $port }). The ledger has no version: confirm it if right
finding-risky-service = { $service } is open on "{ $name }" (port { $port }). Attacks spread inside with it: check that it is needed
service-rdp = Remote Desktop (RDP)
service-smb = File sharing (SMB)
service-telnet = telnet
service-vnc = Screen sharing (VNC)
service-mssql = SQL Server
scan-summary = { $hosts } devices answered, { $findings } things to review. Confirm or dismiss them on the ledger page
findings-title = Found by network scans
findings-confirm = Confirm
findings-acknowledge = Checked
findings-dismiss = Dismiss
asset-serial = Serial number
asset-department = Department
asset-remote-method = Remote maintenance method
asset-acquired = Acquired
asset-end-of-support = End of support
asset-version-checked = Version last checked
asset-history = History
asset-changed-fields = Fields changed
action-asset-update = Device changed
action-ledger-import = Ledger imported
action-scan-import = Network scan imported
action-scan-decide = Scan finding decided
action-connection-create = Way in recorded
action-vendor-create = Vendor recorded
changes-since = Since
changes-show = Show
changes-added = Devices added
changes-changed = Devices changed
changes-unchecked = Versions not checked for 30 days or more
changes-none = None
changes-all-checked = Every device's version was checked within 30 days
changes-never-checked = never recorded
changes-last-checked = Last checked:
ledger-changes = Monthly review (changes since last month)
ledger-all-kinds = All kinds
ledger-search = Search
ledger-search-example = e.g. FortiGate, 192.168.10, reception
ledger-shown = Showing { $shown } of { $total }
form-problem = "{ $column }": { $detail }

## Device form fields
column-name = Device name
column-kind = Kind
column-roles = Used for (separate with ・)
column-location = Location
column-segment = Network segment
column-ip = IP address
column-mac = MAC address
column-maker = Maker
column-model = Model
column-os = OS / firmware
column-version = Version
column-serial = Serial number
column-department = Department
column-vendor = Maintained by
column-remote = Remote maintenance (あり / なし / 不明)
column-remote-method = Remote maintenance method
column-acquired-on = Acquired
column-end-of-support = End of support
column-version-checked-on = Version last checked
column-notes = Notes
asset-add = Add a device
asset-edit = Correct the device
asset-form-lead = Dates may be written 2024/4/1 or 令和6年4月1日. Leave what you do not know empty.
asset-saved = Saved
sheet-connections = Connection points
sheet-vendors = Vendors
segments-title = Network segments
segments-lead = The segments of the facility's network (clinical, business, maintenance …) and the traffic allowed between them. Use the names the ledger's segment column uses.
segments-empty = No segment is recorded yet.
segments-zone = Kind of segment
segments-devices = Devices in the ledger
segments-flows = Traffic allowed
segments-no-flows = No traffic between segments is recorded yet.
segments-add = Record a segment
segments-example = clinical
segments-add-flow = Record allowed traffic
segments-from = From
segments-to = To
segments-flow-note = What (e.g. EHR viewing only)
segments-choose-both = Choose both segments
segments-flow-exists = That traffic is already recorded
zone-clinical = Clinical
zone-business = Business
zone-maintenance = Maintenance
zone-dmz = DMZ
zone-guest = Guest
zone-other = Other
action-segment-create = Segment recorded
action-segment-flow = Traffic between segments recorded
ledger-segments = Network segments
asset-retire = Retired (remove from the ledger)
asset-retire-hint = A retired device leaves the lists; its history stays in the audit log and shows in the monthly changes.
changes-removed = Devices retired
nav-review = Monthly review
review-title = Monthly review
review-lead = What changed from { $since } to { $today }. Check the device list and its updates at least once a month (from the report on the Osaka General Medical Center incident).
review-print-hint = Use the browser's Print to keep this list on paper or as PDF, as the record of the review.
review-printed-on = Made by Mamori on { $when }
review-no-feed = No vulnerability data (NVD) is imported, so changes in vulnerabilities cannot be judged. This does not mean there are none.
review-kev-hits = Newly known-exploited (KEV) holes that hit a device of the ledger
review-kev-hits-none = No hole added to KEV in this period hits a device of the ledger
review-kev-hit = { $cve } (added to KEV { $added }, now { $status })
review-opened = Vulnerability findings found
review-closed = Findings whose fix was confirmed
review-acceptances = Risk acceptances that ended or end soon
review-acceptance-ends = { $cve }: accepted until { $until }; decide again
review-acceptance-ended = { $cve }: the acceptance ended on { $until }; open again
review-since-invalid = 'From' "{ $value }" is not a date (e.g. 2026-11-01); showing the last month
review-since-future = 'From' cannot be in the future; showing the last month
action-asset-retire = Device retired
conn-edit = Correct the way in
action-connection-update = Way in changed

## Vulnerability feeds
cli-feeds = Work with vulnerability feeds
cli-feeds-import = Import KEV (CISA's known exploited vulnerabilities, JSON or CSV). Each file is written only when all of it is valid
error-not-kev = { $file } is neither KEV JSON nor CSV
error-kev-json = The JSON of { $file } cannot be read at line { $line }, column { $column }
error-kev-entry = Entry { $index } of { $file } has a bad "{ $field }": "{ $value }". Nothing was imported
feed-kev-done = { $file } (KEV { $version }): added { $added }, changed { $changed }, unchanged { $unchanged }
feed-kev-ransomware = { $count } vulnerabilities known to be used by ransomware: { $list }{ $more ->
    [0] {""}
   *[other] and { $more } more
}
feed-older = { $file } (KEV { $version }) is older than the imported { $stored }: nothing was changed
action-feed-import = Vulnerability feed imported
cli-vulns = Match the ledger's devices against the imported NVD and KEV data
cli-review = Monthly review: what changed since a day (new KEV entries, findings found and fixed, devices added, changed, removed, versions not checked)
cli-review-since = Changes from this day (e.g. 2026-11-01); a month ago when not given
error-since-invalid = --since "{ $value }" is not a date (e.g. 2026-11-01)
error-since-future = --since cannot be in the future
error-not-feed = { $file } is not KEV (JSON, CSV), NVD (CVE API 2.0 JSON) or JVN iPedia (MyJVN VULDEF or JVNRSS XML, OKA JSON)
error-feed-damaged = { $file } is { $format }-compressed but damaged or cut short ({ $detail }). Download it again. Nothing was imported
error-feed-too-large = { $file } unpacks to more than { $gib } GiB. Import it as one file per year. Nothing was imported
error-nvd-cpe = { $id } in { $file } has a CPE name that cannot be read: { $criteria }. Nothing was imported
feed-nvd-done = { $file } (NVD): added { $added }, changed { $changed }, unchanged { $unchanged }
feed-nvd-older = { $count } CVEs are already stored in a later NVD revision; they were kept, not rolled back
feed-jvn-done = { $file } (JVN iPedia): { $added } added, { $changed } changed, { $unchanged } unchanged
feed-jvn-older = { $count } entries that JVN revised later are already stored: kept as they are
error-jvn-xml = { $file } does not read as JVN XML (broken or cut at byte { $position }). Download it again. Nothing was imported
error-jvn-entry = Entry { $index } of { $file } has no '{ $field }' (JVNDB id). Nothing was imported
vuln-cve = CVE
vuln-outcome = Outcome
vuln-kev = KEV added
vuln-ransomware = Ransomware
vuln-cvss = CVSS
vuln-affected = Affected
vuln-needs-review = Needs review
vuln-not-affected = Not affected
vuln-none = None of the { $cves } imported CVEs affects a device of the ledger
vuln-unmatched = "{ $name }" is not matched: the product cannot be told (write maker, model and OS in the ledger)
vuln-unmatched-windows = "{ $name }" is not checked against known-exploited holes: the ledger has no Windows build number (e.g. 10.0.19045.4170, under Settings → System → About, "OS build"). This does not mean it is safe
vuln-unmatched-group = These devices are not checked: the product cannot be told. Write maker, model, OS (firmware) and version in the ledger. This does not mean they are safe:
vuln-unmatched-windows-group = These devices are not checked against known-exploited holes: the ledger has no Windows build number (e.g. 10.0.19045.4170, under Settings → System → About, "OS build"). This does not mean they are safe:
vuln-edge = Faces outside
vuln-todo = What to do
vuln-page-lead = The ledger's devices matched against the vulnerability files imported into this deployment (CISA KEV, NVD and JVN iPedia), without the internet. Holes that attackers use, in devices that are a way in from outside, come first.
vuln-no-feed = No NVD data has been imported yet, so nothing can be judged. This does not mean safe. An administrator imports KEV and NVD files with mamori feeds import, and the results appear here.
vuln-summary = { $devices } devices need action ({ $affected } open, { $review } to review or with the risk accepted)
vuln-do-affected = Ask { $vendor } to update it to a fixed version, then correct the version in the ledger: the finding then closes as fixed by itself.
vuln-do-review = The ledger has no readable version for this device. Ask { $vendor } for its version and write it in the ledger.
vuln-vendor-unknown = the maintenance vendor (not in the ledger)
vuln-kev-dates = { $added } (due { $due })
vuln-edge-badge = Way in from outside
vuln-ransomware-badge = Used by ransomware
vuln-not-kev = No exploitation reported
vuln-unmatched-title = Devices that could not be matched
vuln-asset-unmatched = This device is not matched against vulnerabilities: its product cannot be told. Write the maker, model, OS (firmware) and version in the ledger. This does not mean safe
vuln-unreadable = { $count } stored NVD records cannot be read by this version of Mamori. Import the NVD files again
vuln-harm = What an attacker can do
vuln-harm-credentials = Steal the device's passwords and live sessions. Even after the fix, stolen passwords and sessions still let them in.
vuln-harm-takeover = Take the device over from the internet and get into the hospital network.
vuln-harm-reads = Read files and data on the device (settings and passwords included).
vuln-harm-bypass = Operate the device without a password or beyond their rights.
vuln-harm-unknown = Look the CVE up in JVN iPedia for details. If it is used in real attacks, the KEV column says so.
vuln-do-credentials = After updating to a fixed version, change every password used on this device (VPN users, administrators, maintenance) and end all sessions. { $vendor } can do it. Then record the date here or on the connection point.
vuln-fixed-title = Fixed
vuln-evaluated-at = Last evaluated: { $when } (against { $cves } NVD and JVN records)
finding-status = Status
finding-status-open = Open
finding-status-needs-review = Needs review
finding-status-accepted = Risk accepted
finding-status-fixed = Fixed
finding-kind-credentials = Passwords and sessions must be changed
finding-opened-at = Found
finding-closed-at = Fix confirmed
finding-accepted-by = Accepted by { $by } until { $until }: { $reason }
finding-credentials-changed = Passwords changed on
finding-history = History
finding-event-opened = Found ({ $outcome })
finding-event-reopened = Found again ({ $outcome })
finding-event-outcome = Outcome changed ({ $outcome })
finding-event-fixed = Fix confirmed (the ledger's version is no longer affected)
finding-event-accepted = Risk accepted until { $until }: { $reason }
finding-event-withdrawn = Risk acceptance withdrawn
finding-event-credentials-changed = Change of passwords and sessions recorded ({ $date })
finding-credentials-title = Passwords and sessions changed
finding-credentials-hint = Record the day every password of this device was changed and its sessions ended, after the update. A day after the update closes this finding.
finding-credentials-date = Changed on
finding-credentials-submit = Record
finding-accept-title = Accept the risk (director)
finding-accept-hint = Record why it cannot be updated now and by when to look again: at most one year. After that day it is open again.
finding-reason = Reason (and what covers for it)
finding-until = Review by
finding-accept-submit = Accept
finding-withdraw-submit = Withdraw the acceptance
finding-reason-missing = Write a 'Reason' (why it cannot be updated now, and what is done instead)
finding-reason-long = Keep the 'Reason' to 1000 characters
finding-until-invalid = 'Review by' "{ $value }" is not a date (e.g. 2027-03-31)
finding-until-past = 'Review by' must be today or later
finding-until-far = 'Review by' must be within a year; accept again when the day comes
finding-date-invalid = 'Changed on' "{ $value }" is not a date (e.g. 2026-11-30)
finding-date-future = 'Changed on' cannot be in the future: record it once it is done
findings-evaluated = { $facility }: vulnerability findings evaluated again ({ $opened } new, { $closed } fixed)
