/* federation.h - counties on several PostgreSQL nodes (docs/scale.md "Counties on several
 * nodes"). Each node is an ordinary jiayi database holding whole counties, written only by
 * the servers of those counties. A coordinator database (the city's or the province's) sees
 * them through postgres_fdw: in its schema `federation`, every large table is partitioned by
 * county_code with one read-only foreign partition per node, and the indicator counters are
 * the sum of the nodes'. Servers on the coordinator put `federation` first on their search
 * path, so its area users read the roll-up with the same queries a county server runs. */
#ifndef JIAYI_DB_FEDERATION_H
#define JIAYI_DB_FEDERATION_H

#include "db/db.h"

/* The schema a coordinator reads county data from. */
#define FEDERATION_SCHEMA "federation"

struct federation_node {
    const char *name;     /* [a-z0-9_]{1,32}: the foreign server is jiayi_node_<name> */
    const char *uri;      /* libpq URI or key=value string of the node's database */
    const char *counties; /* comma-separated six-digit county codes the node holds */
};

/* Attaches (or re-attaches, replacing the earlier county list) one node to the migrated
 * PostgreSQL coordinator `db`, in one transaction. Returns 0; -1 with a message in `err`
 * (a bad name, county code or URI, a county already on another node, a node the
 * coordinator cannot reach or that is not a migrated jiayi database). */
int db_federate(struct db *db, const struct federation_node *node, struct jy_error *err);

/* 1 when `db` is a coordinator (it has the federation schema), 0 when not, -1 on error. */
int db_is_coordinator(struct db *db);

#endif
