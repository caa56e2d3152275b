-- 015_satisfaction_source: who collected a satisfaction answer and how, so that a team
-- cannot raise its own rate (domain/satisfaction.h): the resident on the portal, an
-- independent survey, or a marked telephone call-back; and the login that entered it.
ALTER TABLE satisfaction_answers ADD COLUMN channel TEXT NOT NULL DEFAULT 'survey';
ALTER TABLE satisfaction_answers ADD COLUMN recorded_by INTEGER REFERENCES users(id);
CREATE INDEX satisfaction_team_resident ON satisfaction_answers(team_id, resident_id, answered_on);
