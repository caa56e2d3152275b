#!/usr/bin/env bash
# eslint.sh - the UI (web/) and the test and bench scripts pass ESLint's recommended rules
# (eslint.config.mjs); `node_modules/.bin/eslint --fix .` repairs what it can.
set -euo pipefail
cd "$(dirname "$0")/../.."
eslint=node_modules/.bin/eslint
[ -x "$eslint" ] || { echo "ESLint is missing (scripts/install-deps runs npm ci)"; exit 1; }

# The check must be able to fail: a planted unused variable is caught.
if printf 'const planted = 1;\n' | "$eslint" --stdin --stdin-filename tests/lint/planted.mjs >/dev/null 2>&1; then
  echo "ESLint missed a planted unused variable"; exit 1
fi

"$eslint" --max-warnings 0 .
echo "eslint: web/, tests/ and bench/ clean"
