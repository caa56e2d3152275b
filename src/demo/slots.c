/* slots.c (demo) - see slots.h. */
#include "demo/slots.h"

#include <stdio.h>
#include <string.h>

#include "store/slots.h"

struct department {
    const char *code, *zh, *en, *doctor;
};

static const struct department COUNTY[] = {
    {"cardiology", "心血管内科", "Cardiology", "罗建华"},
    {"endocrinology", "内分泌科", "Endocrinology", "陈丽萍"},
    {"neurology", "神经内科", "Neurology", "王志强"},
    {"respiratory", "呼吸内科", "Respiratory medicine", "李国栋"},
    {"orthopaedics", "骨科", "Orthopaedics", "张伟"},
    {"obstetrics", "妇产科", "Obstetrics and gynaecology", "刘芳"},
    {"paediatrics", "儿科", "Paediatrics", "杨静"},
    {"ophthalmology", "眼科", "Ophthalmology", "赵明"},
    {"psychiatry", "精神科", "Psychiatry", "周红"},
};
static const struct department TCM[] = {
    {"tcm_internal", "中医内科", "TCM internal medicine", "黄明德"},
    {"acupuncture", "针灸科", "Acupuncture", "吴建国"},
    {"tcm_orthopaedics", "中医骨伤科", "TCM orthopaedics", "郑长青"},
    {"rehabilitation", "康复科", "Rehabilitation", "孙丽华"},
};
static const struct department CITY[] = {
    {"cardiology", "心血管内科", "Cardiology", "冯卫东"},
    {"endocrinology", "内分泌科", "Endocrinology", "何静"},
    {"neurology", "神经内科", "Neurology", "许文杰"},
    {"respiratory", "呼吸与危重症医学科", "Respiratory and critical care", "马骏"},
    {"orthopaedics", "骨科", "Orthopaedics", "朱涛"},
    {"obstetrics", "妇产科", "Obstetrics and gynaecology", "胡晓梅"},
    {"paediatrics", "儿科", "Paediatrics", "郭勇"},
    {"ophthalmology", "眼科", "Ophthalmology", "林涛"},
    {"psychology", "心理科", "Clinical psychology", "高敏"},
};

#define SCHEDULE_DAYS 28

static int build_hospital(struct db *db, struct date today, int64_t hospital,
                          const struct department *departments, int n,
                          const struct release_rule *rule, const char *override_code,
                          const struct release_rule *override)
{
    if (store_release_rule_put(db, hospital, 0, rule) < 0) return -1;
    int64_t ids[16];
    for (int i = 0; i < n; i++) {
        ids[i] = store_department_insert(db, hospital, departments[i].code, departments[i].zh,
                                         departments[i].en);
        if (ids[i] < 0) return -1;
        if (override_code && !strcmp(override_code, departments[i].code) &&
            store_release_rule_put(db, hospital, ids[i], override) < 0)
            return -1;
    }
    for (int d = 0; d < SCHEDULE_DAYS; d++) {
        struct date day = date_add_days(today, d);
        if ((date_to_days(day) + 3) % 7 >= 5) continue; /* 1970-01-01 was a Thursday */
        char day_text[11];
        date_format(day, day_text);
        for (int i = 0; i < n; i++) {
            const struct release_rule *in_force =
                override_code && !strcmp(override_code, departments[i].code) ? override : rule;
            /* Morning 08:00-12:00 in 15 minutes, afternoon 14:00-17:00 in 20, one place each;
             * a specialist sees two patients a slot in the morning at the county hospital. */
            struct schedule_input am = {hospital, ids[i],  0,       0,  departments[i].doctor,
                                        day_text, "08:00", "12:00", 15, 1};
            struct schedule_input pm = {hospital, ids[i],  0,       0,  departments[i].doctor,
                                        day_text, "14:00", "17:00", 20, 1};
            if (store_schedule_publish(db, &am, in_force, NULL) < 0 ||
                store_schedule_publish(db, &pm, in_force, NULL) < 0)
                return -1;
        }
    }
    return 0;
}

int demo_slots_build(struct db *db, struct date today, int64_t county_hospital,
                     int64_t tcm_hospital, int64_t city_hospital)
{
    /* The seeds: the county hospital as Shanghai (half, 50 % earlier) with its eye clinic as
     * Changning (a fifth, a week ahead), the TCM hospital as Xiamen (three days earlier), the
     * municipal hospital as Hangzhou (a fixed pool two weeks ahead). */
    static const struct release_rule SHANGHAI = {50, 21, 14}, CHANGNING = {20, 14, 7},
                                     XIAMEN = {30, 10, 7}, HANGZHOU = {30, 14, 7};
    if (build_hospital(db, today, county_hospital, COUNTY, (int)(sizeof COUNTY / sizeof COUNTY[0]),
                       &SHANGHAI, "ophthalmology", &CHANGNING) < 0 ||
        build_hospital(db, today, tcm_hospital, TCM, (int)(sizeof TCM / sizeof TCM[0]), &XIAMEN,
                       NULL, NULL) < 0 ||
        (city_hospital > 0 &&
         build_hospital(db, today, city_hospital, CITY, (int)(sizeof CITY / sizeof CITY[0]),
                        &HANGZHOU, NULL, NULL) < 0))
        return -1;
    return 0;
}

int demo_slots_book(struct db *db, struct date today, int64_t team_id, int64_t staff_id,
                    int64_t hospital, const struct entitlement_rules *rules, int count, int skip)
{
    static const char RESIDENTS[] =
        "SELECT resident_id FROM contracts WHERE team_id = ?1 AND status = 'active'"
        " ORDER BY resident_id LIMIT ?2 OFFSET ?3";
    /* Family-doctor slots of the hospital open today, from the third day on, spread over
     * departments (every fifth free slot in time order). */
    static const char SLOTS[] =
        "SELECT id FROM slots WHERE institution_id = ?1 AND released_to = 'family_doctors'"
        " AND family_from <= ?2 AND starts_at >= ?3 AND booked < capacity"
        " ORDER BY starts_at, id LIMIT ?4";
    int64_t residents[32], slots[160];
    int n_residents = 0, n_slots = 0, made = 0;
    if (count > 32) count = 32;
    struct db_stmt *st = db_prepare(db, RESIDENTS);
    if (!st) return -1;
    db_bind_int(st, 1, team_id);
    db_bind_int(st, 2, count);
    db_bind_int(st, 3, skip);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        residents[n_residents++] = db_column_int(st, 0);
    if (rc != DB_DONE) return -1;
    char today_text[11], from[20];
    date_format(today, today_text);
    date_format(date_add_days(today, 2), from);
    snprintf(from + 10, sizeof from - 10, "T00:00");
    if (!(st = db_prepare(db, SLOTS))) return -1;
    db_bind_int(st, 1, hospital);
    db_bind_text(st, 2, today_text);
    db_bind_text(st, 3, from);
    db_bind_int(st, 4, 5 * count);
    while ((rc = db_step(st)) == DB_ROW)
        slots[n_slots++] = db_column_int(st, 0);
    if (rc != DB_DONE) return -1;
    for (int i = 0; i < n_residents && 5 * i < n_slots; i++) {
        int64_t slot = slots[5 * i];
        struct booking_input in = {slot, residents[i], team_id, 0, 0, 0};
        if (store_slot_take(db, slot) != 1) return -1;
        int64_t id = store_booking_insert(db, &in);
        struct service_record use = {.kind = SOURCE_BOOKING, .date = today, .team_id = team_id};
        if (id < 0 || store_entitlement_use(db, rules, residents[i], id, staff_id, &use, NULL) < 0)
            return -1;
        made++;
    }
    return made;
}
