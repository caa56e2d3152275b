-- 019_institution_kinds: the institutions a county keeps on its own grid (issue 14) besides the
-- hospitals, centres, stations and clinics of 001: a health hut (健康小屋) was already a kind;
-- added are the county CDC (疾控中心), the maternal and child health hospital (妇幼保健院) and
-- private hospitals (民营医院), so that maintenance through the API needs no SQL.
--
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt. Staff, teams,
-- packages, contracts, encounters and referrals point at institutions(id): inside the
-- migration's transaction the foreign keys are deferred, the rows dropped with the old table
-- put back with the same ids before the commit, and the commit checks that every reference
-- still finds its institution (a missing one fails the migration, nothing is changed).
-- @sqlite
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE institutions_019 AS SELECT id, code, name, kind, level, region FROM institutions;
DROP TABLE institutions;
CREATE TABLE institutions (
    id     INTEGER PRIMARY KEY,
    code   TEXT NOT NULL UNIQUE,
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('municipal_hospital','district_hospital','county_hospital',
           'tcm_hospital','community_center','township_center','station','village_clinic','health_hut',
           'cdc','maternal_child_hospital','private_hospital')),
    level  TEXT NOT NULL CHECK (level IN ('tertiary','secondary','primary','village')),
    region TEXT NOT NULL REFERENCES regions(code)
);
INSERT INTO institutions (id, code, name, kind, level, region)
    SELECT id, code, name, kind, level, region FROM institutions_019 ORDER BY id;
DROP TABLE institutions_019;
CREATE INDEX institutions_region ON institutions(region);
-- @end
-- @postgresql
-- PostgreSQL changes the constraint in place.
ALTER TABLE institutions DROP CONSTRAINT institutions_kind_check;
ALTER TABLE institutions ADD CONSTRAINT institutions_kind_check CHECK (kind IN ('municipal_hospital',
    'district_hospital','county_hospital','tcm_hospital','community_center','township_center','station',
    'village_clinic','health_hut','cdc','maternal_child_hospital','private_hospital'));
-- @end
