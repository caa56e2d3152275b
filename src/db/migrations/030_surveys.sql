-- 030_surveys: questionnaires and their answers (docs/resident-loop.md "Surveys"). A
-- questionnaire declares its items, each item's scale and whether it is reverse-scored, and
-- the dimension it belongs to; domain/questionnaire.c scores a response from that
-- declaration. A response rates the team the resident signed with, given by the resident on
-- the portal or collected on a telephone call-back by someone outside that team
-- (domain/satisfaction.h). Two instruments ship with jiayi.
CREATE TABLE questionnaires (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    interval_days INTEGER NOT NULL DEFAULT 90, -- due again this long after the last answer
    overall_item  INTEGER,                     -- the item that also feeds satisfaction_rate
    active        INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE questionnaire_dimensions (
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaires(id),
    code             TEXT NOT NULL,
    name_zh          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    PRIMARY KEY (questionnaire_id, code)
);
-- @postgresql
-- Rows are read back in the order they were written (SQLite's rowid).
ALTER TABLE questionnaire_dimensions ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
-- @end
CREATE TABLE questionnaire_items (
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaires(id),
    n                INTEGER NOT NULL CHECK (n BETWEEN 1 AND 100),
    text_zh          TEXT NOT NULL,
    text_en          TEXT NOT NULL,
    scale_min        INTEGER NOT NULL DEFAULT 1,
    scale_max        INTEGER NOT NULL DEFAULT 5,
    reverse          INTEGER NOT NULL DEFAULT 0,
    dimension        TEXT NOT NULL,
    PRIMARY KEY (questionnaire_id, n),
    CHECK (scale_min < scale_max)
);

CREATE TABLE survey_responses (
    id               INTEGER PRIMARY KEY,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaires(id),
    resident_id      INTEGER NOT NULL REFERENCES residents(id),
    team_id          INTEGER REFERENCES teams(id),
    channel          TEXT NOT NULL CHECK (channel IN ('portal','phone_callback')),
    answered_on      TEXT NOT NULL,
    total            INTEGER NOT NULL,           -- the sum of the scored (reversed) values
    recorded_by      INTEGER REFERENCES users(id),
    satisfaction_id  INTEGER REFERENCES satisfaction_answers(id),
    county_code      TEXT NOT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX survey_responses_resident ON survey_responses(resident_id, questionnaire_id, answered_on);
CREATE INDEX survey_responses_team ON survey_responses(team_id, questionnaire_id, answered_on);
CREATE TABLE survey_answers (
    response_id INTEGER NOT NULL REFERENCES survey_responses(id),
    n           INTEGER NOT NULL,
    value       INTEGER NOT NULL,  -- as answered
    scored      INTEGER NOT NULL,  -- after reversing
    PRIMARY KEY (response_id, n)
);

-- Post-service satisfaction (5 very satisfied .. 1 very dissatisfied), by dimension; item 6,
-- the overall answer, is also a satisfaction_answers row (satisfaction_rate, PROTOCOLS.md §11).
INSERT INTO questionnaires (id, code, name_zh, name_en, interval_days, overall_item) VALUES
    (1, 'satisfaction_service', '签约服务满意度', 'Satisfaction with the service', 90, 6);
INSERT INTO questionnaire_dimensions (questionnaire_id, code, name_zh, name_en) VALUES
    (1, 'attitude', '服务态度', 'Attitude'),
    (1, 'communication', '沟通解释', 'Communication'),
    (1, 'access', '便捷可及', 'Access'),
    (1, 'continuity', '连续服务', 'Continuity'),
    (1, 'competence', '专业水平', 'Competence'),
    (1, 'overall', '总体', 'Overall');
INSERT INTO questionnaire_items (questionnaire_id, n, text_zh, text_en, reverse, dimension) VALUES
    (1, 1, '家庭医生团队的服务态度', 'The team''s attitude towards you', 0, 'attitude'),
    (1, 2, '医生把病情和用药解释得清楚', 'How clearly the doctor explained your condition and medicines', 0, 'communication'),
    (1, 3, '预约、就诊和上门服务方便', 'How easy it was to book, be seen or visited at home', 0, 'access'),
    (1, 4, '随访和健康指导及时', 'How timely the follow-ups and health advice were', 0, 'continuity'),
    (1, 5, '医生的专业水平', 'The doctor''s professional skill', 0, 'competence'),
    (1, 6, '总体而言，您对家庭医生签约服务的满意程度', 'Overall, how satisfied are you with the family-doctor service', 0, 'overall');

-- The revised 10-item Wake Forest physician trust scale (维克森林医师信任量表, Chinese revision;
-- seed 000, PROTOCOLS.md §12): 1 strongly disagree .. 5 strongly agree, total 10-50. Items 2, 3
-- and 8 are worded against trust and reverse-scored (6 - value), so a higher total is always
-- more trust. Two dimensions: benevolence (仁爱) and technical competence (技术能力).
INSERT INTO questionnaires (id, code, name_zh, name_en, interval_days, overall_item) VALUES
    (2, 'wake_forest_trust_10', '维克森林医师信任量表（修订版）', 'Wake Forest physician trust scale (revised, 10 items)', 180, NULL);
INSERT INTO questionnaire_dimensions (questionnaire_id, code, name_zh, name_en) VALUES
    (2, 'benevolence', '仁爱', 'Benevolence'),
    (2, 'competence', '技术能力', 'Technical competence');
INSERT INTO questionnaire_items (questionnaire_id, n, text_zh, text_en, reverse, dimension) VALUES
    (2, 1, '医生会尽一切努力为我提供所需要的医疗服务', 'My doctor will do whatever it takes to get me all the care I need', 0, 'benevolence'),
    (2, 2, '医生有时更在意自己的方便，而不是我的医疗需求', 'Sometimes my doctor cares more about what is convenient for them than about my medical needs', 1, 'benevolence'),
    (2, 3, '医生的水平没有达到我认为医生应该达到的程度', 'My doctor''s medical skills are not as good as they should be', 1, 'competence'),
    (2, 4, '医生在诊疗中非常细致周到', 'My doctor is extremely thorough and careful', 0, 'competence'),
    (2, 5, '我完全相信医生为我选择的治疗方案是最好的', 'I completely trust my doctor''s decisions about which treatments are best for me', 0, 'competence'),
    (2, 6, '医生会如实告诉我各种可选的治疗方案', 'My doctor is totally honest in telling me about all the treatment options', 0, 'benevolence'),
    (2, 7, '医生只考虑什么对我最好', 'My doctor only thinks about what is best for me', 0, 'benevolence'),
    (2, 8, '医生有时不能专心听我讲述', 'Sometimes my doctor does not pay full attention to what I am trying to say', 1, 'benevolence'),
    (2, 9, '我可以放心地把生命交到医生手中', 'I have no worries about putting my life in my doctor''s hands', 0, 'competence'),
    (2, 10, '总的来说，我完全信任我的医生', 'All in all, I have complete trust in my doctor', 0, 'competence');
