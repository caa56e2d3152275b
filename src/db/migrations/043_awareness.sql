-- 043_awareness: whether the surveyed resident knows their family doctor (知晓率,
-- awareness_rate, PROTOCOLS.md §15), asked with the satisfaction question by a survey or
-- call-back outside the team (domain/satisfaction.h). NULL: not asked.
ALTER TABLE satisfaction_answers ADD COLUMN knows_doctor INTEGER CHECK (knows_doctor IN (0, 1));
