/* routes.h - the route table (api/routes.c): each route's method, path pattern, the action
 * the role policy judges (domain/roles.h) and its handler. */
#ifndef JIAYI_API_ROUTES_H
#define JIAYI_API_ROUTES_H

#include <stddef.h>

#include "domain/roles.h"

struct request;

struct route {
    const char *method;
    const char *pattern; /* "/api/v1/residents/{id}" */
    enum action action;
    int (*handler)(struct request *r);
};

extern const struct route ROUTES[];
extern const size_t ROUTE_COUNT;

#endif
