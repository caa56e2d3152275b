-- 045_assessments: assessment rounds with spot checks (考核与抽查, issue 19;
-- domain/assessment.h, docs/assessments.md). A round assesses the teams of an institution (a
-- quarter) or of the county (a half year); its checks are the sampled records, each
-- re-verified by telephone; signed off, each team's result is kept and its coefficient
-- applies to the team's appraisal score.
CREATE TABLE assessment_rounds (
    id               INTEGER PRIMARY KEY,
    level            TEXT NOT NULL CHECK (level IN ('institution','county')),
    period           TEXT NOT NULL,
    period_first     TEXT NOT NULL,
    period_last      TEXT NOT NULL,
    institution_id   INTEGER REFERENCES institutions(id), -- an institution round's
    region           TEXT NOT NULL,                       -- the county, or the institution's region
    sample_per_team  INTEGER NOT NULL,
    full_rate        INTEGER NOT NULL,
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','signed_off')),
    created_by       INTEGER REFERENCES users(id),
    signed_off_by    INTEGER REFERENCES users(id),
    signed_off_at    TEXT,
    county_code      TEXT NOT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
-- One round a level, place and period.
CREATE UNIQUE INDEX assessment_rounds_once ON assessment_rounds(level, region, coalesce(institution_id, 0), period);

CREATE TABLE assessment_checks (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES assessment_rounds(id),
    team_id      INTEGER NOT NULL REFERENCES teams(id),
    kind         TEXT NOT NULL CHECK (kind IN ('followup','contract')),
    record_id    INTEGER NOT NULL,
    resident_id  INTEGER NOT NULL REFERENCES residents(id),
    record_date  TEXT NOT NULL,
    outcome      TEXT CHECK (outcome IN ('confirmed','not_confirmed','unreachable')),
    finding      TEXT,
    checked_by   INTEGER REFERENCES users(id),
    checked_at   TEXT
);
CREATE INDEX assessment_checks_round ON assessment_checks(round_id, team_id, id);

CREATE TABLE assessment_results (
    round_id      INTEGER NOT NULL REFERENCES assessment_rounds(id),
    team_id       INTEGER NOT NULL REFERENCES teams(id),
    confirmed     INTEGER NOT NULL,
    not_confirmed INTEGER NOT NULL,
    unreachable   INTEGER NOT NULL,
    judged        INTEGER NOT NULL,
    coefficient   INTEGER NOT NULL, -- per mille
    PRIMARY KEY (round_id, team_id)
);
CREATE INDEX assessment_results_team ON assessment_results(team_id);
