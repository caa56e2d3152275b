/* data_set.c (store) - see data_set.h. Every table pages by id (keyset), so no engine holds
 * more than a page of rows: PostgreSQL's client library would otherwise keep a whole table's
 * answer in memory. Values are exported as stored (codes, JSON arrays, ISO dates); the
 * person's full ID number is in residents.csv, for the platform that is its keeper. */
#include "store/data_set.h"

#define IN_COUNTY(col) " " col " >= ?1 AND " col " < ?1 || ';'"
#define PAGE " AND id > ?2 ORDER BY id LIMIT ?3"
#define PAGE_OF(t) " AND " t ".id > ?2 ORDER BY " t ".id LIMIT ?3"

const struct data_set_table DATA_SET_TABLES[] = {
    {"institutions",
     {"id", "code", "name", "kind", "level", "region", NULL},
     -1,
     "SELECT id, code, name, kind, level, region FROM institutions WHERE" IN_COUNTY("region") PAGE},
    {"staff",
     {"id", "name", "profession", "institution_id", NULL},
     -1,
     "SELECT s.id, s.name, s.profession, s.institution_id FROM staff s JOIN institutions i ON i.id = s.institution_id"
     " WHERE" IN_COUNTY("i.region") PAGE_OF("s")},
    {"teams",
     {"id", "name", "model", "institution_id", "doctor_id", NULL},
     -1,
     "SELECT id, name, model, institution_id, doctor_id FROM teams WHERE county_code = ?1" PAGE},
    {"households",
     {"id", "region", "address", "head_id", "family_type", "import_key", "created_at", NULL},
     -1,
     "SELECT id, region, address, head_id, family_type, import_key, created_at FROM households"
     " WHERE county_code = ?1" PAGE},
    {"residents",
     {"id", "name", "id_number", "sex", "birth_date", "phone", "region", "address", "household_id",
      "relation", "population_class", "status", "status_date", "disabled", "poverty",
      "proxy_consent", "created_at", "updated_at", NULL},
     0,
     "SELECT id, name, id_number, sex, birth_date, phone, region, address, household_id, relation,"
     " population_class, status, status_date, disabled, poverty, proxy_consent, created_at, updated_at"
     " FROM residents WHERE county_code = ?1" PAGE},
    {"contracts",
     {"id", "resident_id", "team_id", "doctor_id", "status", "channel", "start_date", "end_date",
      "fee_fen", "district_hospital_id", "city_hospital_id", "previous_id", "ended_on",
      "end_reason", "signed_at", NULL},
     1,
     "SELECT id, resident_id, team_id, doctor_id, status, channel, start_date, end_date, fee_fen,"
     " district_hospital_id, city_hospital_id, previous_id, ended_on, end_reason, signed_at"
     " FROM contracts WHERE county_code = ?1" PAGE},
    {"diagnoses",
     {"id", "resident_id", "icd10", "diagnosed_on", "note", NULL},
     1,
     "SELECT d.id, d.resident_id, d.icd10, d.diagnosed_on, d.note FROM diagnoses d"
     " JOIN residents r ON r.id = d.resident_id WHERE r.county_code = ?1" PAGE_OF("d")},
    {"enrolments",
     {"id", "resident_id", "program", "start_date", "end_date", "end_reason", NULL},
     1,
     "SELECT e.id, e.resident_id, e.program, e.start_date, e.end_date, e.end_reason FROM enrolments e"
     " JOIN residents r ON r.id = e.resident_id WHERE r.county_code = ?1" PAGE_OF("e")},
    {"followups",
     {"id",
      "resident_id",
      "program",
      "visit_date",
      "mode",
      "staff_id",
      "sbp",
      "dbp",
      "fbg",
      "heart_rate",
      "temperature",
      "danger_level",
      "weight_kg",
      "hba1c",
      "findings",
      "medications",
      "classification",
      "action",
      "next_due",
      "medication_adherence",
      "note",
      "created_at",
      NULL},
     1,
     "SELECT id, resident_id, program, visit_date, mode, staff_id, sbp, dbp, fbg, heart_rate, temperature,"
     " danger_level, weight_kg, hba1c, findings, medications, classification, action, next_due, medication_adherence,"
     " note, created_at FROM followups WHERE county_code = ?1" PAGE},
    {"exam_results",
     {"id", "resident_id", "exam_date", "sbp", "dbp", "fbg", "tc", "tg", "ldl", "hdl", "height_cm",
      "weight_kg", "bmi", "hba1c", "ecg", "ultrasound", "abnormal", NULL},
     1,
     "SELECT id, resident_id, exam_date, sbp, dbp, fbg, tc, tg, ldl, hdl, height_cm, weight_kg, bmi, hba1c, ecg,"
     " ultrasound, abnormal FROM exam_results WHERE county_code = ?1" PAGE},
    {"encounters",
     {"id", "resident_id", "encounter_date", "institution_id", "primary_care", "in_county",
      "team_id", "staff_id", "chronic_program", "at_home", NULL},
     1,
     "SELECT id, resident_id, encounter_date, institution_id, primary_care, in_county, team_id, staff_id,"
     " chronic_program, at_home FROM encounters WHERE county_code = ?1" PAGE},
    {"referrals",
     {"id", "resident_id", "referred_on", "direction", "from_institution_id", "to_institution_id",
      "status", "category", "target_level", "urgent", "seen_on", "returned_on", "closed_on", NULL},
     1,
     "SELECT id, resident_id, referred_on, direction, from_institution_id, to_institution_id, status, category,"
     " target_level, urgent, seen_on, returned_on, closed_on FROM referrals WHERE county_code = ?1" PAGE},
};
const size_t DATA_SET_TABLE_COUNT = sizeof DATA_SET_TABLES / sizeof DATA_SET_TABLES[0];

struct db_stmt *store_data_set_page(struct db *db, const struct data_set_table *t,
                                    const char *county, int64_t after, int limit)
{
    struct db_stmt *st = db_prepare(db, t->sql);
    if (!st) return NULL;
    db_bind_text(st, 1, county);
    db_bind_int(st, 2, after);
    db_bind_int(st, 3, limit);
    return st;
}
