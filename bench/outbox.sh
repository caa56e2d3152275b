#!/usr/bin/env bash
# The outbox's delivery rate to a local webhook failing 30 % of requests, against a plain HTTP
# client sending the same messages to the same receiver at the same concurrency (16 keep-alive
# connections, retrying each failure at once) in the same run. Goal: >= 1,000 messages/s.
set -euo pipefail
bin="$1"; work="$2"
node bench/outbox.mjs "$bin" "$work"
