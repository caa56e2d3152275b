-- 038_visit_offers: what a visit offered besides its own reason and what the resident said
-- (issue 19, domain/visit_prompts.c): enrolment in the programme of a chronic diagnosis not
-- yet managed, a family doctor's contract for an unsigned key-population resident. Counted
-- by GET /reports/visit-offers; an accepted enrolment is made in the same transaction.
CREATE TABLE visit_offers (
    id           INTEGER PRIMARY KEY,
    resident_id  INTEGER NOT NULL REFERENCES residents(id),
    kind         TEXT NOT NULL CHECK (kind IN ('enrol','sign')),
    program      TEXT,
    diagnosis    TEXT,
    response     TEXT NOT NULL CHECK (response IN ('accepted','declined')),
    offered_on   TEXT NOT NULL,
    offered_by   INTEGER REFERENCES users(id),
    staff_id     INTEGER REFERENCES staff(id),
    county_code  TEXT NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX visit_offers_resident ON visit_offers(resident_id, offered_on);
CREATE INDEX visit_offers_county ON visit_offers(county_code, offered_on);
