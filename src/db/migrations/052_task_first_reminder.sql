-- A task's first reminder day (reminder_completion_rate, PROTOCOLS.md), kept on the task by
-- a trigger in the reminder's transaction: reminders are written once and never changed, so
-- the earliest is exact. An area's rate then reads its tasks reminded in the period by this
-- index, not a grouping of every reminder of the county on each read (issue 23).
ALTER TABLE tasks ADD COLUMN first_reminded_on TEXT;
UPDATE tasks SET first_reminded_on = (SELECT min(m.sent_on) FROM reminders m
     WHERE m.task_id = tasks.id AND m.county_code = tasks.county_code)
 WHERE id IN (SELECT task_id FROM reminders);
CREATE INDEX tasks_first_reminded ON tasks(first_reminded_on);
CREATE TRIGGER tasks_first_reminder AFTER INSERT ON reminders
BEGIN
    UPDATE tasks SET first_reminded_on = NEW.sent_on
     WHERE id = NEW.task_id AND county_code = NEW.county_code
       AND (first_reminded_on IS NULL OR first_reminded_on > NEW.sent_on);
END;
