-- 047_cohort_studies: before-and-after cohort studies (issue 22, docs/evaluation.md). A study
-- names its cohort (a team's service group, a package's signers, a team's patients of a
-- program, or a list), two periods and the day the cohort was fixed (the first day of the
-- "after" period). Its members and each member's measures in both periods are kept as they
-- were when the study was made, so the report reads the same whatever happens later (as a
-- study's data set should); the statistics are computed from them on every read.
CREATE TABLE cohort_studies (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('service_group','package','program','list')),
    team_id      INTEGER REFERENCES teams(id),
    package_id   INTEGER REFERENCES packages(id),
    program      TEXT,
    region       TEXT NOT NULL,        -- the area the study belongs to (its data scope)
    before_from  TEXT NOT NULL,
    before_to    TEXT NOT NULL,
    after_from   TEXT NOT NULL,
    after_to     TEXT NOT NULL,
    members      INTEGER NOT NULL DEFAULT 0,
    created_by   INTEGER REFERENCES users(id),
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    county_code  TEXT NOT NULL
);
CREATE INDEX cohort_studies_region ON cohort_studies(region);

-- A member is numbered 1..n in the study; the factors are as of the day the cohort was fixed.
CREATE TABLE cohort_members (
    study_id           INTEGER NOT NULL REFERENCES cohort_studies(id),
    member             INTEGER NOT NULL,
    resident_id        INTEGER NOT NULL REFERENCES residents(id),
    age                INTEGER NOT NULL,
    male               INTEGER NOT NULL,
    chronic_conditions INTEGER NOT NULL,
    key_population     INTEGER NOT NULL,
    poverty            INTEGER NOT NULL,
    disabled           INTEGER NOT NULL,
    PRIMARY KEY (study_id, member)
);

-- One measure of one member in both periods; NULL where the period holds no value (no
-- survey answered, no follow-up).
CREATE TABLE cohort_values (
    study_id     INTEGER NOT NULL REFERENCES cohort_studies(id),
    member       INTEGER NOT NULL,
    measure      TEXT NOT NULL,
    before_value REAL,
    after_value  REAL,
    PRIMARY KEY (study_id, measure, member)
);
CREATE INDEX cohort_values_member ON cohort_values(study_id, member);
