/* agreement.h - the signed agreement (家庭医生签约服务协议书) as a PDF, in Chinese: the
 * same document the web UI prints (web/js/views/agreement.js), rendered on the server so a
 * clinic can archive or send it without a browser. */
#ifndef JIAYI_RENDER_AGREEMENT_H
#define JIAYI_RENDER_AGREEMENT_H

#include <jansson.h>

#include "util/sbuf.h"

struct agreement_parties {
    const json_t *contract; /* store_contract_get(): packages, entitlements, shares */
    const json_t *resident; /* store_resident_get(), or NULL */
    const json_t *team;     /* store_team_get(), or NULL */
    const char *partners;   /* the 1+1+1 hospitals' names joined, or NULL */
    const char *id_masked;  /* the resident's ID number as shown on paper */
};

/* Appends the PDF to out. Returns 0, or -1 when rendering failed. */
int agreement_pdf(const struct agreement_parties *p, struct sbuf *out);

#endif
