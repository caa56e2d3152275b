-- 017_task_calls: outreach calls on work-list tasks (issue 14, after Simple's overdue list).
-- Each attempt is kept: who called, when, what came of it (domain/outreach.h), the visit a
-- reached patient agreed to. The work list shows a task's attempts, last outcome and
-- agreed date from these rows.
CREATE TABLE task_calls (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    outcome     TEXT NOT NULL CHECK (outcome IN ('reached','no_answer','wrong_number','moved',
                                                 'died','refused')),
    called_on   TEXT NOT NULL,
    agreed_date TEXT,
    note        TEXT,
    called_by   INTEGER REFERENCES users(id),
    staff_id    INTEGER REFERENCES staff(id),
    created_at  TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK ((outcome = 'reached') = (agreed_date IS NOT NULL))
);
CREATE INDEX task_calls_task ON task_calls(task_id, id);
CREATE INDEX task_calls_resident ON task_calls(resident_id);

-- A task a call ended says why, in the words the indicators distinguish: the patient is
-- lost to follow-up (wrong number, refused: still counted as missed or lost), moved away or
-- died (the record is closed, so the patient leaves the population).
ALTER TABLE tasks ADD COLUMN end_reason TEXT
    CHECK (end_reason IN ('lost_to_follow_up','moved','died'));
