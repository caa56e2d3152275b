/* names.c - name tables. Surnames are ordered by frequency in Sichuan and drawn with
 * weights that fall with rank; given-name characters differ by sex and generation. */
#include "demo/names.h"

#include <stdio.h>
#include <string.h>

uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int rng_int(struct rng *r, int lo, int hi)
{
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

int rng_chance(struct rng *r, double p)
{
    return rng_unit(r) < p;
}

static const char *const SURNAMES[] = {
    "李", "王", "张", "刘", "陈", "杨", "黄", "周", "罗", "何", "吴", "赵", "邓", "曾",
    "唐", "谢", "彭", "胡", "徐", "冯", "郑", "蒋", "廖", "袁", "朱", "肖", "杜", "余",
    "钟", "付", "田", "高", "梁", "宋", "熊", "汪", "魏", "任", "林", "雷", "叶", "苏",
    "邱", "龙", "万", "江", "向", "卢", "程", "夏", "严", "舒", "母", "税", "阳"};

static const char *const MALE_OLD[] = {"德", "福", "贵", "荣", "清", "祥", "明", "国", "华", "富",
                                       "全", "发", "元", "成", "义", "良", "才", "汉", "正", "云"};
static const char *const FEMALE_OLD[] = {"秀", "英", "兰", "珍", "芳", "桂", "淑",
                                         "凤", "琼", "群", "素", "菊", "莲", "玉",
                                         "翠", "碧", "会", "明", "春", "华"};
static const char *const MALE_MID[] = {"伟", "强", "军", "勇", "杰", "涛", "斌", "林", "波", "刚",
                                       "建", "平", "文", "超", "兵", "红", "明", "飞", "彬", "春"};
static const char *const FEMALE_MID[] = {"丽", "娟", "敏", "静", "艳", "霞", "燕",
                                         "玲", "梅", "萍", "红", "琴", "莉", "丹",
                                         "蓉", "英", "芳", "利", "洁", "琳"};
static const char *const MALE_NEW[] = {"宇", "浩", "俊", "磊", "洋", "鹏", "轩", "博", "睿", "泽",
                                       "子", "一", "梓", "豪", "晨", "阳", "航", "宸", "然", "铭"};
static const char *const FEMALE_NEW[] = {"婷", "雪", "慧", "倩", "欣", "怡", "佳",
                                         "悦", "涵", "萱", "梓", "诗", "雨", "可",
                                         "馨", "钰", "若", "思", "语", "彤"};

#define COUNT(a) (int)(sizeof(a) / sizeof((a)[0]))

void name_surname(struct rng *r, char *out, size_t n)
{
    /* rank ~ u^2 weights the common surnames more, as in real frequency tables */
    double u = rng_unit(r);
    int i = (int)(u * u * COUNT(SURNAMES));
    snprintf(out, n, "%s", SURNAMES[i < COUNT(SURNAMES) ? i : 0]);
}

void name_person(struct rng *r, const char *surname, char sex, int birth_year, char *out, size_t n)
{
    char family[8];
    if (surname)
        snprintf(family, sizeof family, "%s", surname);
    else
        name_surname(r, family, sizeof family);
    const char *const *pool;
    int count;
    if (birth_year < 1965) {
        pool = sex == 'M' ? MALE_OLD : FEMALE_OLD;
        count = COUNT(MALE_OLD);
    } else if (birth_year < 1995) {
        pool = sex == 'M' ? MALE_MID : FEMALE_MID;
        count = COUNT(MALE_MID);
    } else {
        pool = sex == 'M' ? MALE_NEW : FEMALE_NEW;
        count = COUNT(MALE_NEW);
    }
    int first = rng_int(r, 0, count - 1);
    if (rng_chance(r, 0.72)) {
        int second =
            (first + rng_int(r, 1, count - 1)) % count; /* never the same character twice */
        snprintf(out, n, "%s%s%s", family, pool[first], pool[second]);
    } else {
        snprintf(out, n, "%s%s", family, pool[first]);
    }
}

static const char *const VILLAGE_A[] = {"红", "新", "青", "龙", "凤", "石", "竹", "桃", "金", "马",
                                        "高", "白", "长", "双", "黄", "水", "安", "太", "团", "光",
                                        "和", "兴", "永", "大", "柏", "梅", "沙", "茶", "龙", "板"};
static const char *const VILLAGE_B[] = {"岩", "林", "山", "河", "坝", "湾", "桥", "坪", "溪", "田",
                                        "塘", "沟", "峰", "丰", "华", "平", "岭", "洞", "庙", "井"};

void name_village(struct rng *r, int urban, char *out, size_t n)
{
    snprintf(out, n, "%s%s%s", VILLAGE_A[rng_int(r, 0, COUNT(VILLAGE_A) - 1)],
             VILLAGE_B[rng_int(r, 0, COUNT(VILLAGE_B) - 1)], urban ? "社区" : "村");
}
