-- 044_copd: COPD follow-up visits (慢阻肺随访, issue 19; domain/copd.h, docs/copd.md). A
-- patient is in the programme by an enrolment `copd`; each visit stores what was measured and
-- what the rules made of it, and its next visit goes on the team's work list.
CREATE TABLE copd_visits (
    id                         INTEGER PRIMARY KEY,
    resident_id                INTEGER NOT NULL REFERENCES residents(id),
    visit_date                 TEXT NOT NULL,
    mode                       TEXT NOT NULL CHECK (mode IN ('clinic','home_visit','phone')),
    mmrc                       INTEGER NOT NULL CHECK (mmrc BETWEEN 0 AND 4),
    cat                        INTEGER NOT NULL CHECK (cat BETWEEN 0 AND 40),
    exacerbations_moderate     INTEGER NOT NULL DEFAULT 0,
    exacerbations_hospitalised INTEGER NOT NULL DEFAULT 0,
    acute                      INTEGER NOT NULL DEFAULT 0,
    danger_signs               INTEGER NOT NULL DEFAULT 0,
    spo2                       INTEGER,
    respiratory_rate           INTEGER,
    fev1_pct                   INTEGER,
    smoking                    INTEGER NOT NULL DEFAULT 0,
    inhaler_ok                 INTEGER,
    grp                        TEXT NOT NULL CHECK (grp IN ('A','B','E')),
    gold_grade                 INTEGER,
    action                     TEXT NOT NULL,
    reasons                    TEXT NOT NULL DEFAULT '[]',
    next_due                   TEXT NOT NULL,
    note                       TEXT,
    staff_id                   INTEGER REFERENCES staff(id),
    recorded_by                INTEGER REFERENCES users(id),
    county_code                TEXT NOT NULL,
    created_at                 TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX copd_visits_resident ON copd_visits(resident_id, visit_date);
