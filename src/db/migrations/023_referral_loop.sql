-- 023_referral_loop: the count-only referral becomes a tracked one (issue 15,
-- docs/hospital-loop.md "Referrals"). A referral has a state (domain/referral_state.c), a
-- category, the department it is sent to, the summary of the record frozen when it was sent,
-- what the hospital sends back (return summary and plan), why it was declined, and the
-- resident's team's satisfaction score for it. Every transition is kept in referral_events.
--
-- Existing rows: seen when seen_on is set, else requested. The kpi triggers of 006 stay as
-- they are (an UPDATE of referrals touches its resident).

ALTER TABLE referrals ADD COLUMN status TEXT NOT NULL DEFAULT 'requested'
    CHECK (status IN ('requested','accepted','declined','seen','returned','closed','cancelled'));
ALTER TABLE referrals ADD COLUMN category TEXT
    CHECK (category IN ('diagnosis','imaging','treatment_adjustment','admission','emergency',
                        'rehabilitation','chronic_management','continue_prescription'));
ALTER TABLE referrals ADD COLUMN department TEXT;
ALTER TABLE referrals ADD COLUMN summary TEXT;          -- JSON, frozen at sending
ALTER TABLE referrals ADD COLUMN return_summary TEXT;   -- the specialist's summary on return
ALTER TABLE referrals ADD COLUMN return_plan TEXT;      -- and the plan for the family doctor
ALTER TABLE referrals ADD COLUMN return_medications TEXT; -- JSON array, optional
ALTER TABLE referrals ADD COLUMN returned_on TEXT;
ALTER TABLE referrals ADD COLUMN decline_reason TEXT;
ALTER TABLE referrals ADD COLUMN closed_on TEXT;
ALTER TABLE referrals ADD COLUMN sent_by INTEGER REFERENCES users(id);
ALTER TABLE referrals ADD COLUMN satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5);
ALTER TABLE referrals ADD COLUMN satisfaction_on TEXT;

UPDATE referrals SET status = CASE WHEN seen_on IS NOT NULL THEN 'seen' ELSE 'requested' END;

CREATE INDEX referrals_to_status ON referrals(to_institution_id, status, referred_on);
CREATE INDEX referrals_from_status ON referrals(from_institution_id, status, referred_on);

-- Every transition (the creation too: from_status NULL), who made it and when.
CREATE TABLE referral_events (
    id           INTEGER PRIMARY KEY,
    referral_id  INTEGER NOT NULL REFERENCES referrals(id),
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    by_user      INTEGER REFERENCES users(id),
    note         TEXT
);
CREATE INDEX referral_events_referral ON referral_events(referral_id, id);
