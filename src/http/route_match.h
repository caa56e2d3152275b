/* route_match.h - a path against a route pattern ("/api/v1/residents/{id}"), each {...}
 * capturing one non-empty path segment. Pure; fuzzed by tests/fuzz/fuzz_route_match.c. */
#ifndef JIAYI_HTTP_ROUTE_MATCH_H
#define JIAYI_HTTP_ROUTE_MATCH_H

#define ROUTE_PARAM_MAX 64 /* bytes of one captured segment, its NUL included */

/* 1 when `path` matches `pattern`, the captured segments in params[0..] (at most
 * max_params, each shorter than ROUTE_PARAM_MAX; a longer one does not match); else 0. */
int route_pattern_match(const char *pattern, const char *path, char params[][ROUTE_PARAM_MAX],
                        int max_params);

#endif
