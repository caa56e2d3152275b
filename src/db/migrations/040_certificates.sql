-- 040_certificates: the chronic-disease outpatient certificate (门诊慢特病证, issue 19,
-- domain/certificate.c): the team screens its patients, notifies them, pre-reviews their
-- papers, and records the medical insurance's grant (its number and term) or rejection; the
-- renewal goes on the work list before the term ends, and the daily pass expires a lapsed one.
CREATE TABLE chronic_certificates (
    id          INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    disease     TEXT NOT NULL,
    diagnosis   TEXT NOT NULL,                 -- the ICD-10 code on the record that qualifies
    status      TEXT NOT NULL DEFAULT 'screened'
                CHECK (status IN ('screened','notified','pre_reviewed','granted','rejected','expired')),
    number      TEXT,                          -- the certificate's number, once granted
    valid_from  TEXT,
    valid_to    TEXT,
    reason      TEXT,                          -- a rejection's
    team_id     INTEGER REFERENCES teams(id),
    doctor_id   INTEGER REFERENCES staff(id),
    county_code TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX chronic_certificates_resident ON chronic_certificates(resident_id, disease);
CREATE INDEX chronic_certificates_team ON chronic_certificates(team_id, status);

CREATE TABLE certificate_events (
    id             INTEGER PRIMARY KEY,
    certificate_id INTEGER NOT NULL REFERENCES chronic_certificates(id),
    from_status    TEXT,
    to_status      TEXT NOT NULL,
    on_date        TEXT NOT NULL,
    by_user        INTEGER REFERENCES users(id),
    note           TEXT
);
CREATE INDEX certificate_events_certificate ON certificate_events(certificate_id, id);
