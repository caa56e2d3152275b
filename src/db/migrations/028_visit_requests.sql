-- 028_visit_requests: bookings with the team (issue 16, docs/resident-loop.md "Visit
-- requests"). A resident (or a household member with proxy consent, or the team on their
-- behalf) asks their contracted team for a clinic visit, a home visit or a specialist
-- appointment; the team confirms it with a day and a half-day (a specialist request by
-- booking a slot of the slot pool: booking_id), cancels it or marks it done (a home visit
-- done is recorded as an encounter at home: encounter_id). The confirmation and the
-- reminder the day before are outbox rows written in the same transaction
-- (source_kind 'visit_request').
CREATE TABLE visit_requests (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER NOT NULL REFERENCES residents(id),
    team_id         INTEGER NOT NULL REFERENCES teams(id),      -- the contract's team when asked
    contract_id     INTEGER REFERENCES contracts(id),
    kind            TEXT NOT NULL CHECK (kind IN ('clinic','home','specialist')),
    status          TEXT NOT NULL DEFAULT 'requested'
                    CHECK (status IN ('requested','confirmed','done','cancelled')),
    priority        TEXT NOT NULL CHECK (priority IN ('high','normal')),
    priority_reasons TEXT NOT NULL DEFAULT '[]',               -- JSON: ["age_80","bedridden"]
    preferred_date  TEXT NOT NULL,                              -- YYYY-MM-DD
    preferred_time  TEXT CHECK (preferred_time IN ('am','pm')), -- NULL: either half-day
    reason          TEXT,
    department_id   INTEGER REFERENCES hospital_departments(id), -- a specialist request's wish
    confirmed_date  TEXT,
    confirmed_time  TEXT CHECK (confirmed_time IN ('am','pm')),
    booking_id      INTEGER REFERENCES bookings(id),
    encounter_id    INTEGER REFERENCES encounters(id),
    cancel_reason   TEXT,
    requested_by    INTEGER REFERENCES users(id),
    handled_by      INTEGER REFERENCES users(id),               -- who confirmed, cancelled or closed it
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    county_code     TEXT NOT NULL
);
CREATE INDEX visit_requests_team ON visit_requests(team_id, status);
CREATE INDEX visit_requests_resident ON visit_requests(resident_id, created_at);
-- One open request of a kind per resident: a second tap of 预约 asks nothing new.
CREATE UNIQUE INDEX visit_requests_open ON visit_requests(resident_id, kind)
    WHERE status IN ('requested','confirmed');
