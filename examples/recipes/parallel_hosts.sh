#!/bin/sh
# Convert a folder of articles with GNU parallel, on this machine or spread over the hosts of a
# file (ssh without a password; artconv installed on each from the repository or a built wheel:
# pip install dist/artconv-*.whl). The result is artconv JSON Lines, an article a line, read
# back by `artconv convert OUT.jsonl`; the inputs that failed are in OUT.errors.txt, a line
# each (artconv's one-line error, which names the input).
#
#   examples/recipes/parallel_hosts.sh inputs/ all.jsonl              # this machine
#   examples/recipes/parallel_hosts.sh inputs/ all.jsonl hosts.txt    # over ssh
#
# On one machine a single batch is faster (one Python, a process pool):
#   artconv convert inputs/* -t jsonl -o all.jsonl --jobs 0
set -eu
in=${1:?inputs folder}; out=${2:?output .jsonl}; hosts=${3:-}
where="-S :"
[ -n "$hosts" ] && where="--sshloginfile $hosts --transferfile {} --cleanup"
: > "$out.errors.txt"
# --keep-order: the lines come in the order of the inputs
find "$in" -type f | sort | parallel --keep-order $where \
    "artconv convert {} -t jsonl --quiet" > "$out" 2>> "$out.errors.txt" || true
if [ -s "$out.errors.txt" ]; then
    echo "parallel_hosts: $(wc -l < "$out.errors.txt") input(s) failed; see $out.errors.txt" >&2
    exit 1
fi
rm -f "$out.errors.txt"
