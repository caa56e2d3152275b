-- Indexes that let a list page stop after its rows (issue 23): a hospital desk's referrals
-- newest first on either side, and a township's or county's referrals newest first.
CREATE INDEX referrals_to_date ON referrals(to_institution_id, referred_on);
CREATE INDEX referrals_from_date ON referrals(from_institution_id, referred_on);
CREATE INDEX referrals_referred ON referrals(referred_on);
-- A township's contract list counts its contracts from its residents, inside this index.
CREATE INDEX contracts_resident_cover ON contracts(resident_id, status, end_date, team_id, doctor_id);
