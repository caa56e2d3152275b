-- 037_encounter_kinds: encounters as hospitals and clinics record them (issue 19): the kind
-- (outpatient, inpatient with its admission and discharge, a home visit, a telephone
-- consultation), the ICD-10 diagnoses, the hospital's doctor, the cost where the sending
-- system gives it, whether the treatment was changed, and which system sent it. A visit that
-- changed the treatment, or a discharge, puts a post-visit call on the team's work list (the
-- task's answers: effect, adherence, satisfaction, a revisit booked).
ALTER TABLE encounters ADD COLUMN kind TEXT NOT NULL DEFAULT 'outpatient'
    CHECK (kind IN ('outpatient','inpatient','home_visit','telephone'));
ALTER TABLE encounters ADD COLUMN discharge_date TEXT;          -- inpatient: encounter_date is the admission
ALTER TABLE encounters ADD COLUMN diagnoses TEXT NOT NULL DEFAULT '[]'; -- ICD-10 codes, JSON
ALTER TABLE encounters ADD COLUMN doctor_name TEXT;
ALTER TABLE encounters ADD COLUMN cost_fen INTEGER CHECK (cost_fen IS NULL OR cost_fen >= 0);
ALTER TABLE encounters ADD COLUMN treatment_changed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE encounters ADD COLUMN source TEXT;
UPDATE encounters SET kind = 'home_visit' WHERE at_home = 1;
ALTER TABLE tasks ADD COLUMN answers TEXT;                      -- a post-visit call's answers, JSON
