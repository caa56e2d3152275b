-- 001_foundation: the health grid, people, login, audit chain, first discovery and tasks.
-- Every large table carries county_code so a distributed PostgreSQL engine can shard by it.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES
    ('elderly_age', '65'), ('child_age_below', '7'), ('postpartum_days', '42'),
    ('poverty_is_key', '0');

-- county (6 digits) > township (9) > village (12) > grid cell (14): a code's ancestors are its prefixes.
CREATE TABLE regions (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    level  TEXT NOT NULL CHECK (level IN ('province','city','county','township','village','grid')),
    parent TEXT REFERENCES regions(code)
);
CREATE INDEX regions_parent ON regions(parent);

CREATE TABLE institutions (
    id     INTEGER PRIMARY KEY,
    code   TEXT NOT NULL UNIQUE,
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('municipal_hospital','district_hospital','county_hospital',
           'tcm_hospital','community_center','township_center','station','village_clinic','health_hut')),
    level  TEXT NOT NULL CHECK (level IN ('tertiary','secondary','primary','village')),
    region TEXT NOT NULL REFERENCES regions(code)
);
CREATE INDEX institutions_region ON institutions(region);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('system_admin','health_commission','center_admin',
                  'team_lead','doctor','nurse','public_health_doctor','village_doctor','assistant','resident')),
    display_name  TEXT NOT NULL,
    scope_region  TEXT REFERENCES regions(code),   -- health commission, center admin, village doctor
    resident_id   INTEGER,                          -- resident role: who they are
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE staff (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    profession     TEXT NOT NULL CHECK (profession IN ('gp','specialist','nurse','public_health',
                   'village_doctor','health_manager','pharmacist','assistant')),
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    user_id        INTEGER UNIQUE REFERENCES users(id),
    phone          TEXT,
    max_contracts  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX staff_institution ON staff(institution_id);

CREATE TABLE teams (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    model          TEXT NOT NULL CHECK (model IN ('1+1+X','1+4+N','three_masters','basic','standard','enhanced')),
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    doctor_id      INTEGER REFERENCES staff(id),   -- the responsible GP
    county_code    TEXT NOT NULL
);
CREATE INDEX teams_institution ON teams(institution_id);

CREATE TABLE team_members (
    team_id  INTEGER NOT NULL REFERENCES teams(id),
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    role     TEXT NOT NULL CHECK (role IN ('lead','gp','specialist','nurse','public_health',
             'village_doctor','health_manager','assistant')),
    PRIMARY KEY (team_id, staff_id)
);
CREATE INDEX team_members_staff ON team_members(staff_id);

CREATE TABLE team_cells (
    team_id     INTEGER NOT NULL REFERENCES teams(id),
    region_code TEXT NOT NULL REFERENCES regions(code),
    PRIMARY KEY (team_id, region_code)
);
CREATE INDEX team_cells_region ON team_cells(region_code);

CREATE TABLE households (
    id          INTEGER PRIMARY KEY,
    region      TEXT NOT NULL REFERENCES regions(code),
    address     TEXT,
    head_id     INTEGER,
    family_type TEXT NOT NULL DEFAULT 'healthy' CHECK (family_type IN ('healthy','high_risk','chronic','disabled')),
    county_code TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX households_region ON households(region);

CREATE TABLE residents (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    id_number        TEXT NOT NULL UNIQUE,
    sex              TEXT NOT NULL CHECK (sex IN ('M','F')),
    birth_date       TEXT NOT NULL,
    phone            TEXT,
    region           TEXT NOT NULL REFERENCES regions(code),
    address          TEXT,
    household_id     INTEGER REFERENCES households(id),
    relation         TEXT CHECK (relation IN ('head','spouse','child','parent','grandchild',
                     'grandparent','sibling','child_in_law','other')),
    proxy_consent    INTEGER NOT NULL DEFAULT 0,   -- lets household members act for this person
    disabled         INTEGER NOT NULL DEFAULT 0,
    poverty          INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL DEFAULT 'alive' CHECK (status IN ('alive','deceased','moved_out')),
    status_date      TEXT,
    population_class INTEGER NOT NULL DEFAULT 3 CHECK (population_class IN (1,2,3)),
    county_code      TEXT NOT NULL,
    created_at       TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at       TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX residents_region ON residents(region);
CREATE INDEX residents_household ON residents(household_id);
CREATE INDEX residents_name ON residents(name);
CREATE INDEX residents_phone ON residents(phone);
CREATE INDEX residents_birth ON residents(birth_date);

CREATE TABLE health_records (
    resident_id        INTEGER PRIMARY KEY REFERENCES residents(id),
    opened_to_resident INTEGER NOT NULL DEFAULT 0,
    consent_date       TEXT,
    created_on         TEXT NOT NULL
);

CREATE TABLE diagnoses (
    id           INTEGER PRIMARY KEY,
    resident_id  INTEGER NOT NULL REFERENCES residents(id),
    icd10        TEXT NOT NULL,
    diagnosed_on TEXT NOT NULL,
    note         TEXT
);
CREATE INDEX diagnoses_resident ON diagnoses(resident_id);
CREATE INDEX diagnoses_icd10 ON diagnoses(icd10);

CREATE TABLE enrolments (
    id          INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    program     TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    end_date    TEXT,
    end_reason  TEXT
);
CREATE INDEX enrolments_resident ON enrolments(resident_id);
CREATE UNIQUE INDEX enrolments_active ON enrolments(resident_id, program) WHERE end_date IS NULL;

CREATE TABLE pregnancies (
    id             INTEGER PRIMARY KEY,
    resident_id    INTEGER NOT NULL REFERENCES residents(id),
    lmp            TEXT NOT NULL,
    delivery_date  TEXT,
    discharge_date TEXT
);
CREATE INDEX pregnancies_resident ON pregnancies(resident_id);

CREATE TABLE census_visits (
    id                INTEGER PRIMARY KEY,
    household_id      INTEGER NOT NULL REFERENCES households(id),
    staff_id          INTEGER NOT NULL REFERENCES staff(id),
    visit_date        TEXT NOT NULL,
    contact_card      INTEGER NOT NULL DEFAULT 0,
    services_explained INTEGER NOT NULL DEFAULT 0,
    plan              TEXT,
    created_at        TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX census_visits_household ON census_visits(household_id);

CREATE TABLE flags (
    id          INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    reason      TEXT NOT NULL,
    note        TEXT,
    raised_by   INTEGER REFERENCES users(id),      -- the login that filed it, if any
    raised_by_staff INTEGER REFERENCES staff(id),  -- the staff member who found the person
    raised_at   TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','confirmed','dismissed')),
    decided_by  INTEGER REFERENCES users(id),
    decided_at  TEXT,
    decision_note TEXT
);
CREATE INDEX flags_resident ON flags(resident_id);
CREATE INDEX flags_status ON flags(status);

CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    team_id     INTEGER REFERENCES teams(id),
    doctor_id   INTEGER REFERENCES staff(id),
    kind        TEXT NOT NULL,                  -- first_discovery, followup, ...
    program     TEXT,
    due_date    TEXT NOT NULL,
    next_due    TEXT,                           -- the schedule's next point, for "missed"
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
    flag_id     INTEGER REFERENCES flags(id),
    note        TEXT,
    created_at  TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    closed_at   TEXT,
    county_code TEXT NOT NULL
);
CREATE INDEX tasks_doctor_open ON tasks(doctor_id, status, due_date);
CREATE INDEX tasks_team_open ON tasks(team_id, status, due_date);
CREATE INDEX tasks_resident ON tasks(resident_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Append-only: each row's hash = SHA-256(prev_hash | fields); `jiayi audit verify` walks it.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    username    TEXT NOT NULL,
    role        TEXT NOT NULL,
    action      TEXT NOT NULL,
    resource    TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    resident_id INTEGER,
    request_id  TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_resident ON audit_log(resident_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The regions each user may see: (code, subtree). Team roles see their team's grid cells
-- and, exactly, the village and township above each cell (residents placed only that far).
CREATE VIEW user_scope AS
    SELECT id AS user_id, '' AS code, 1 AS subtree FROM users WHERE role = 'system_admin'
    UNION ALL
    SELECT id, scope_region, 1 FROM users
     WHERE role IN ('health_commission','center_admin','village_doctor') AND scope_region IS NOT NULL
    UNION ALL
    SELECT u.id, tc.region_code, 1 FROM users u
      JOIN staff s ON s.user_id = u.id
      JOIN team_members tm ON tm.staff_id = s.id
      JOIN team_cells tc ON tc.team_id = tm.team_id
     WHERE u.role IN ('team_lead','doctor','nurse','public_health_doctor','village_doctor','assistant')
    UNION ALL
    SELECT u.id, substr(tc.region_code, 1, 12), 0 FROM users u
      JOIN staff s ON s.user_id = u.id
      JOIN team_members tm ON tm.staff_id = s.id
      JOIN team_cells tc ON tc.team_id = tm.team_id
     WHERE u.role IN ('team_lead','doctor','nurse','public_health_doctor','village_doctor','assistant')
       AND length(tc.region_code) > 12
    UNION ALL
    SELECT u.id, substr(tc.region_code, 1, 9), 0 FROM users u
      JOIN staff s ON s.user_id = u.id
      JOIN team_members tm ON tm.staff_id = s.id
      JOIN team_cells tc ON tc.team_id = tm.team_id
     WHERE u.role IN ('team_lead','doctor','nurse','public_health_doctor','village_doctor','assistant')
       AND length(tc.region_code) > 9;
