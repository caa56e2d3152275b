-- 046_sealed_pii: ID numbers and phone numbers encrypted at rest (issue 21, util/seal.h,
-- store/pii.h). residents.id_number and residents.phone keep their names and now hold the
-- sealed text ("v1.<key>.<base64url>"); what a search or a uniqueness check needs is a keyed
-- digest beside them. outbox.address holds the sealed phone too; login_codes.phone holds the
-- phone's digest. The values of older rows are sealed by the program right after this
-- migration (pii_seal_pending): SQL cannot, the key is not in the database.
ALTER TABLE residents ADD COLUMN id_digest TEXT;
ALTER TABLE residents ADD COLUMN id_tail_digest TEXT;
ALTER TABLE residents ADD COLUMN id_masked_digest TEXT;
ALTER TABLE residents ADD COLUMN phone_digest TEXT;
CREATE UNIQUE INDEX residents_id_digest ON residents(id_digest);
CREATE INDEX residents_id_tail_digest ON residents(id_tail_digest);
CREATE INDEX residents_id_masked_digest ON residents(id_masked_digest);
CREATE INDEX residents_phone_digest ON residents(phone_digest);
DROP INDEX residents_phone;
