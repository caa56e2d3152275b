-- 011_task_outcome: a task that no record closes by itself (a first discovery, an abnormal
-- exam or home reading, an exam conclusion to review) is closed by a doctor's decision,
-- which is kept with who made it (POST /tasks/{id}/close).
ALTER TABLE tasks ADD COLUMN closed_by INTEGER REFERENCES users(id);
ALTER TABLE tasks ADD COLUMN outcome TEXT;  -- the decision's note

-- A maternal visit that gave the delivery or discharge date (which end the programme 42
-- days on and change the household's classes) is not withdrawn by DELETE /followups/{id}.
ALTER TABLE followups ADD COLUMN recorded_delivery INTEGER NOT NULL DEFAULT 0;
