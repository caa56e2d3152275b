-- 034_hba1c: glycated haemoglobin (糖化血红蛋白, HbA1c, % of total haemoglobin), the
-- laboratory value the national specification lists among a diabetes patient's checks and
-- that hospitals and the provincial platform exchange (FHIR Observation, LOINC 4548-4). A
-- follow-up records it when the doctor has a recent result; an exam file carries it in its
-- own column. Kept, shown and exchanged; no indicator of PROTOCOLS.md section 11 reads it.
ALTER TABLE followups ADD COLUMN hba1c REAL;
ALTER TABLE exam_results ADD COLUMN hba1c REAL;
