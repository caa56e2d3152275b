#!/usr/bin/env bash
# format.sh - every C file in src/ and tests/ is as `make format` (clang-format with the
# project's .clang-format, CONVENTIONS.md rule 9) leaves it; run `make format` to fix.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v clang-format >/dev/null || { echo "clang-format is missing (scripts/install-deps installs it)"; exit 1; }

# The check must be able to fail: a file formatted otherwise is caught.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp .clang-format "$scratch/"
printf 'int  f( void ){ return 0 ;}\n' > "$scratch/planted.c"
if clang-format --dry-run --Werror "$scratch/planted.c" 2>/dev/null; then
  echo "the format check missed a planted misformatted file"; exit 1
fi

mapfile -t files < <(find src tests -name '*.[ch]' | sort)
clang-format --dry-run --Werror "${files[@]}"
echo "format: ${#files[@]} C files as .clang-format has them"
