-- 016_audit_subjects: the people a list read returned (a search, a work list, a household),
-- one row each, so that every person is attributable in GET /audit?resident=N. The entry in
-- audit_log carries their count and a digest of their ids in resource_id (";n=N;h=HEX"),
-- which the keyed chain covers: `jiayi audit verify` recomputes it from these rows, so a
-- subject removed, added or changed breaks the entry.
CREATE TABLE audit_subjects (
    audit_id    INTEGER NOT NULL,
    resident_id INTEGER NOT NULL,
    PRIMARY KEY (resident_id, audit_id)
) WITHOUT ROWID;
CREATE INDEX audit_subjects_entry ON audit_subjects(audit_id);
