#!/usr/bin/env bash
# Checks that the working tree's build writes exactly the bytes a reference commit's build writes,
# in every output format, for every bundled capture and log (and any extra captures given, e.g. a
# bench capture kept with `npm run bench -- --keep`). For performance work: a change that makes
# the tool faster must not change what it prints.
#
#   scripts/same-output.sh [REF] [EXTRA_CAPTURE ...]     (REF defaults to HEAD)
#
# Builds REF in a temporary git worktree (node_modules shared), builds the working tree, runs both
# CLIs, and prints the files that differ. Exit 0 when everything is identical, 1 otherwise.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
ref=${1:-HEAD}
shift || true
work=$(mktemp -d "${TMPDIR:-/tmp}/same-output-XXXXXX")
trap 'git -C "$root" worktree remove --force "$work/ref" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git -C "$root" worktree add --detach --quiet "$work/ref" "$ref"
ln -s "$root/node_modules" "$work/ref/node_modules"
(cd "$work/ref" && npx tsc -p tsconfig.json)
(cd "$root" && npx tsc -p tsconfig.json)

inputs=(fixtures/anatomy.pcap fixtures/real/a_clean/capture.pcap fixtures/real/a_clean/capture.pcapng
  fixtures/real/b_crash/capture.pcap fixtures/real/b_crash/capture-nano.pcap fixtures/udp/capture.pcap
  fixtures/real/a_clean/nginx_access.log fixtures/real/b_crash/nginx_access_ext.log fixtures/logs/*.log)
run_all() { # $1: checkout to run, $2: output folder
  mkdir -p "$2"
  local i=0 f
  for f in "${inputs[@]}" "${extra[@]}"; do
    i=$((i + 1))
    for fmt in text json jsonl csv markdown html; do
      (cd "$root" && node "$1/bin/tracker-anatomy.js" "$f" --format "$fmt" --quiet) > "$2/$i.$fmt" 2> "$2/$i.$fmt.err" || echo "exit $?" >> "$2/$i.$fmt.err"
    done
    (cd "$root" && node "$1/bin/tracker-anatomy.js" "$f" --format json --peer-list --interval 1800 --quiet) > "$2/$i.peers.json" 2>&1 || true
  done
  (cd "$root" && node "$1/bin/tracker-anatomy.js" "${inputs[@]:1:4}" --format json --quiet) > "$2/multi.json" 2>&1 || true
}
extra=("$@")
run_all "$work/ref" "$work/a"
run_all "$root" "$work/b"
if diff -rq "$work/a" "$work/b"; then
  echo "same output as $ref: $(ls "$work/a" | wc -l) files compared"
else
  echo "output differs from $ref (numbers are the order of: ${inputs[*]} ${extra[*]})" >&2
  exit 1
fi
