-- 009_clinical_loop: the loop closes on a result (issue 12). A follow-up whose action is
-- refer or urgent_refer, and a pregnancy risk assessment of yellow or above, create a
-- referral with its reason codes and the level of care it asks for, and a task to confirm
-- the patient was seen (tasks.referral_id), closed when the referral is marked seen. The
-- pregnancy keeps its standing risk assessment: only a new assessment changes it, so a
-- routine visit never downgrades orange, red or purple (PROTOCOLS.md §7).

ALTER TABLE referrals ADD COLUMN followup_id INTEGER REFERENCES followups(id);
ALTER TABLE referrals ADD COLUMN target_level TEXT
    CHECK (target_level IN ('secondary','critical_maternal','tertiary','infectious'));
ALTER TABLE referrals ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN reasons TEXT;   -- JSON array of reason codes
ALTER TABLE referrals ADD COLUMN seen_on TEXT;   -- the patient was seen where they were sent
CREATE INDEX referrals_followup ON referrals(followup_id);

ALTER TABLE tasks ADD COLUMN referral_id INTEGER REFERENCES referrals(id);
CREATE INDEX tasks_referral ON tasks(referral_id);

-- The standing risk assessment of the pregnancy (NULL: never assessed).
ALTER TABLE pregnancies ADD COLUMN risk_color TEXT
    CHECK (risk_color IN ('green','yellow','orange','red'));
ALTER TABLE pregnancies ADD COLUMN risk_purple INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pregnancies ADD COLUMN risk_factors TEXT;     -- JSON [{code, color}]
ALTER TABLE pregnancies ADD COLUMN risk_assessed_on TEXT; -- the visit that assessed it
ALTER TABLE pregnancies ADD COLUMN risk_reported_on TEXT; -- put on the county report (orange, red, purple)
CREATE INDEX pregnancies_reportable ON pregnancies(risk_reported_on);
