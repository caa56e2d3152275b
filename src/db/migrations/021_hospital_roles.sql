-- 021_hospital_roles: the hospital desk (issue 15). A hospital's referral office (双向转诊办)
-- and its specialists log in: their scope is their own hospital (auth/scope.c), reached
-- through staff.institution_id, never a region.
--
-- SQLite cannot change a CHECK constraint in place, so users is rebuilt as 019 rebuilt
-- institutions: foreign keys deferred, the rows put back with the same ids before the commit,
-- and the index of 013 made again.
-- @sqlite
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE users_021 AS
    SELECT id, username, password_hash, role, display_name, scope_region, resident_id, disabled, created_at
      FROM users;
DROP TABLE users;
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('system_admin','health_commission','center_admin',
                  'team_lead','doctor','nurse','public_health_doctor','village_doctor','assistant','resident',
                  'hospital_office','specialist')),
    display_name  TEXT NOT NULL,
    scope_region  TEXT REFERENCES regions(code),   -- health commission, center admin, village doctor
    resident_id   INTEGER,                          -- resident role: who they are
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO users (id, username, password_hash, role, display_name, scope_region, resident_id, disabled, created_at)
    SELECT id, username, password_hash, role, display_name, scope_region, resident_id, disabled, created_at
      FROM users_021 ORDER BY id;
DROP TABLE users_021;
-- The rebuilt table lost 013's index: a username names one account whatever its case.
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
-- @end
-- @postgresql
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('system_admin','health_commission',
    'center_admin','team_lead','doctor','nurse','public_health_doctor','village_doctor','assistant','resident',
    'hospital_office','specialist'));
-- @end
