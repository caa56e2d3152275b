/* read_routing.h - dashboard and list reads on a standby (`serve --read-db`, issue 17,
 * docs/scale.md "Reads on a standby"), with read-your-writes for the session that wrote.
 *
 * A write's session remembers the primary's WAL position after its commit; a later read of
 * that session goes to the standby only once the standby has replayed that far, else to the
 * primary. Other sessions read what the standby has, a few milliseconds behind. Login, the
 * scope checks of the route and every write stay on the primary. The positions are kept in
 * this server's memory: servers behind one balancer need session affinity for a session to
 * read its own writes from a standby (without it such a read may be a moment old). */
#ifndef JIAYI_API_READ_ROUTING_H
#define JIAYI_API_READ_ROUTING_H

#include "api/routes.h"
#include "http/request.h"

/* The connection the route's handler should read from: the standby's when the route reads
 * dashboards or lists, there is a standby, and it has this session's last write; else NULL
 * (stay on the primary). */
struct db *read_routing_pick(struct request *r);
/* After a session's write committed: remembers the primary's position for its next reads. */
void read_routing_note_write(struct request *r);

#endif
