-- 010_entitlement_use: services consume entitlements by themselves (issue 12). A recorded
-- follow-up, exam row, encounter or group attendance writes the delivery it stands for
-- (domain/entitlement_use.h says which), naming its source; manual deliveries keep a NULL
-- source. Undoing a record removes exactly its deliveries. A follow-up remembers the task
-- it closed, so that deleting it (a record entered in error) reopens that task, and an
-- encounter may have taken place at the resident's home.
-- Depends on 002, 003, 004, 005 and 006.

ALTER TABLE deliveries ADD COLUMN source_kind TEXT
    CHECK (source_kind IN ('followup','exam','encounter','group_attendance'));
ALTER TABLE deliveries ADD COLUMN source_id INTEGER;  -- followups.id, exam_results.id,
                                                      -- encounters.id or group_activities.id
-- The same record never uses one entitlement twice, whatever the retries.
CREATE UNIQUE INDEX deliveries_source ON deliveries(source_kind, source_id, entitlement_id)
    WHERE source_kind IS NOT NULL;

ALTER TABLE followups ADD COLUMN closed_task_id INTEGER REFERENCES tasks(id);

ALTER TABLE encounters ADD COLUMN at_home INTEGER NOT NULL DEFAULT 0 CHECK (at_home IN (0, 1));
