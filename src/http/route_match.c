/* route_match.c - see route_match.h. */
#include "http/route_match.h"

#include <string.h>

int route_pattern_match(const char *pattern, const char *path, char params[][ROUTE_PARAM_MAX],
                        int max_params)
{
    int param = 0;
    while (*pattern && *path) {
        if (*pattern == '{') {
            const char *close = strchr(pattern, '}');
            size_t n = strcspn(path, "/");
            if (!close || n == 0 || n >= ROUTE_PARAM_MAX || param >= max_params) return 0;
            memcpy(params[param], path, n);
            params[param++][n] = '\0';
            pattern = close + 1;
            path += n;
            continue;
        }
        if (*pattern != *path) return 0;
        pattern++;
        path++;
    }
    return *pattern == '\0' && *path == '\0';
}
