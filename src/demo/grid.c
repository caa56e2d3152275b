/* grid.c (demo) - the county's grid (13 townships, 124 villages, their cells),
 * institutions, staff and 227 "1+4+N" teams, as the field reports in shared/seeds give them. */
#include "demo/county.h"

#include <string.h>

#include "demo/names.h"
#include "store/registry.h"

static const char *const TOWNSHIP_NAMES[TOWNSHIPS] = {
    "长宁镇", "双河镇", "竹海镇", "梅硐镇", "花滩镇", "老翁镇", "龙头镇",
    "铜锣镇", "古河镇", "井江镇", "硐底镇", "开佛镇", "富兴镇"};
/* Villages per township, summing to 124. */
static const int VILLAGES_PER_TOWNSHIP[TOWNSHIPS] = {14, 11, 10, 9, 10, 9, 9, 9, 9, 9, 8, 9, 8};

/* The real township names for the county of API.md; made-up ones for the others. */
static void township_name(const struct county *c, int t, char *out, size_t size)
{
    static const char *const FIRST[] = {"龙", "凤", "石", "金", "清", "桃", "柏",
                                        "新", "安", "福", "永", "兴", "双"};
    static const char *const SECOND[] = {"溪", "坝", "桥", "湾", "场", "江", "山"};
    if (c->index == 0)
        snprintf(out, size, "%s", TOWNSHIP_NAMES[t]);
    else
        snprintf(out, size, "%s%s镇", FIRST[(t + c->index) % 13], SECOND[(t * 3 + c->index) % 7]);
}

int demo_build_grid(struct db *db, struct county *c)
{
    char hospital[64], tcm[64], hospital_code[16], tcm_code[16];
    snprintf(hospital, sizeof hospital, "%s人民医院", c->name);
    snprintf(tcm, sizeof tcm, "%s中医医院", c->name);
    snprintf(hospital_code, sizeof hospital_code, "H%s001", c->code);
    snprintf(tcm_code, sizeof tcm_code, "H%s002", c->code);
    if (store_region_insert(db, c->code, c->name, "county", c->parent) < 0) return -1;
    c->county_hospital = store_institution_insert(db, hospital_code, hospital, "county_hospital",
                                                  "secondary", c->code);
    c->tcm_hospital =
        store_institution_insert(db, tcm_code, tcm, "tcm_hospital", "secondary", c->code);
    if (c->county_hospital < 0 || c->tcm_hospital < 0) return -1;
    int v = 0;
    for (int t = 0; t < TOWNSHIPS; t++) {
        char code[10], name[64], inst_code[16];
        char township[32];
        township_name(c, t, township, sizeof township);
        snprintf(code, sizeof code, "%.6s%03u", c->code, (unsigned)(101 + t) % 1000u);
        if (store_region_insert(db, code, township, "township", c->code) < 0) return -1;
        snprintf(name, sizeof name, "%s卫生院", township);
        snprintf(inst_code, sizeof inst_code, "T%s", code);
        c->center_id[t] =
            store_institution_insert(db, inst_code, name, "township_center", "primary", code);
        if (c->center_id[t] < 0) return -1;
        for (int k = 0; k < VILLAGES_PER_TOWNSHIP[t]; k++, v++) {
            struct village *vl = &c->villages[v];
            snprintf(vl->code, sizeof vl->code, "%.9s%03u", code, (unsigned)(k + 1) % 1000u);
            vl->township = t;
            /* The township seat is a neighbourhood (社区) and larger than the hill villages. */
            int urban = k == 0;
            for (int attempt = 0; attempt < 20; attempt++) {
                name_village(&c->rng, urban, vl->name, sizeof vl->name);
                int clash = 0;
                for (int j = v - k; j < v; j++)
                    clash |= strcmp(c->villages[j].name, vl->name) == 0;
                if (!clash) break;
            }
            vl->weight = urban ? 2.2 : 0.55 + rng_unit(&c->rng);
            c->total_weight += vl->weight;
            if (store_region_insert(db, vl->code, vl->name, "village", code) < 0) return -1;
            snprintf(name, sizeof name, "%s卫生室", vl->name);
            snprintf(inst_code, sizeof inst_code, "V%s", vl->code);
            vl->clinic_id = store_institution_insert(db, inst_code, name, "village_clinic",
                                                     "village", vl->code);
            if (vl->clinic_id < 0) return -1;
            vl->first_cell = c->cell_count;
            vl->cells = urban ? 4 : rng_int(&c->rng, 2, 4);
            for (int g = 0; g < vl->cells; g++) {
                struct cell *cell = &c->cells[c->cell_count++];
                char village_code[13]; /* a copy: gcc -O1 cannot tell the two apart within c */
                snprintf(village_code, sizeof village_code, "%.12s", vl->code);
                snprintf(cell->code, sizeof cell->code, "%s%02u", village_code,
                         (unsigned)(g + 1) % 100u);
                cell->village = v;
                snprintf(name, sizeof name, "%s第%d网格", vl->name, g + 1);
                if (store_region_insert(db, cell->code, name, "grid", vl->code) < 0) return -1;
            }
        }
    }
    /* Added last so the county's own institutions keep their ids. It serves the county
     * from the prefecture; the region tree starts at the county, so it is filed there. */
    if (!c->first) return 0; /* one city hospital, filed under the first county */
    c->city_hospital = store_institution_insert(db, "H511500001", "宜宾市第一人民医院",
                                                "municipal_hospital", "tertiary", c->code);
    return c->city_hospital < 0 ? -1 : 0;
}

static int64_t add_staff(struct db *db, struct county *c, const char *profession,
                         int64_t institution, int max_contracts)
{
    char name[32], phone[12];
    char sex = rng_chance(&c->rng, profession[0] == 'n' ? 0.1 : 0.6) ? 'M' : 'F';
    name_person(&c->rng, NULL, sex, rng_int(&c->rng, 1965, 1998), name, sizeof name);
    demo_phone_number(&c->rng, phone);
    return store_staff_insert(db, name, profession, institution, phone, max_contracts);
}

/* Teams per township in proportion to its cells; each team serves a contiguous run of
 * cells; members: a county specialist (the "1"), a township GP, nurse and public-health
 * doctor (of the "4"), the village doctor of its first village, and 1-2 helpers ("N"). */
int demo_build_teams(struct db *db, struct county *c)
{
    int cells_in[TOWNSHIPS] = {0}, teams_in[TOWNSHIPS], assigned = 0;
    for (int i = 0; i < c->cell_count; i++)
        cells_in[c->villages[c->cells[i].village].township]++;
    for (int t = 0; t < TOWNSHIPS; t++) {
        teams_in[t] = TEAMS * cells_in[t] / c->cell_count;
        if (teams_in[t] < 1) teams_in[t] = 1;
        assigned += teams_in[t];
    }
    for (int t = 0; assigned < TEAMS; t = (t + 1) % TOWNSHIPS, assigned++)
        teams_in[t]++;
    int64_t village_doctor_of[VILLAGES] = {0};
    int team = 0, cell = 0, extras_left = STAFF_TOTAL - TEAMS * 5;
    for (int t = 0; t < TOWNSHIPS; t++) {
        int first_cell = cell;
        for (int k = 0; k < teams_in[t]; k++, team++) {
            /* cells [from, to) of this township for team k */
            int from = first_cell + cells_in[t] * k / teams_in[t];
            int to = first_cell + cells_in[t] * (k + 1) / teams_in[t];
            if (to == from) to = from + 1 > first_cell + cells_in[t] ? from : from + 1;
            char name[64];
            int village = c->cells[from].village;
            snprintf(name, sizeof name, "%s%s家庭医生团队%d", TOWNSHIP_NAMES[t],
                     c->villages[village].name, k + 1);
            const char *model = k % 7 == 6 ? "1+1+X" : "1+4+N";
            struct team *tm = &c->teams[team];
            tm->id = store_team_insert(db, name, model, c->center_id[t], c->code);
            if (tm->id < 0) return -1;
            int64_t specialist =
                add_staff(db, c, "specialist", k % 3 ? c->county_hospital : c->tcm_hospital, 0);
            tm->gp_staff = add_staff(db, c, "gp", c->center_id[t], 1000);
            int64_t nurse = add_staff(db, c, "nurse", c->center_id[t], 0);
            int64_t public_health = add_staff(db, c, "public_health", c->center_id[t], 0);
            /* One village doctor per village clinic; a second team in the village gets another. */
            tm->village_doctor_staff =
                add_staff(db, c, "village_doctor", c->villages[village].clinic_id, 100);
            if (!village_doctor_of[village]) village_doctor_of[village] = tm->village_doctor_staff;
            if (specialist < 0 || tm->gp_staff < 0 || nurse < 0 || public_health < 0 ||
                tm->village_doctor_staff < 0 ||
                store_team_set_doctor(db, tm->id, tm->gp_staff) < 0 ||
                store_team_member_insert(db, tm->id, tm->gp_staff, "lead") < 0 ||
                store_team_member_insert(db, tm->id, specialist, "specialist") < 0 ||
                store_team_member_insert(db, tm->id, nurse, "nurse") < 0 ||
                store_team_member_insert(db, tm->id, public_health, "public_health") < 0 ||
                store_team_member_insert(db, tm->id, tm->village_doctor_staff, "village_doctor") <
                    0)
                return -1;
            int teams_left = TEAMS - team;
            int extras = extras_left >= 2 * teams_left ? 2 : (extras_left > teams_left - 1 ? 2 : 1);
            if (extras > extras_left) extras = extras_left;
            for (int e = 0; e < extras; e++) {
                int manager = e == 0 && k % 2 == 0;
                int64_t s =
                    add_staff(db, c, manager ? "health_manager" : "assistant",
                              manager ? c->center_id[t] : c->villages[village].clinic_id, 0);
                if (s < 0 || store_team_member_insert(db, tm->id, s,
                                                      manager ? "health_manager" : "assistant") < 0)
                    return -1;
            }
            extras_left -= extras;
            for (int i = from; i < to; i++) {
                c->cells[i].team = team;
                if (store_team_cell_insert(db, tm->id, c->cells[i].code) < 0) return -1;
            }
            cell = to > cell ? to : cell;
        }
        cell = first_cell + cells_in[t];
    }
    return 0;
}
