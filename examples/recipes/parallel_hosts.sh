#!/bin/sh
# Convert a folder of dumps on several machines with GNU parallel (one artconv per file, the
# files spread over the hosts in hosts.txt, results copied back). Each host needs artconv
# installed (pip install artconv) and ssh access without a password.
#
#   examples/recipes/parallel_hosts.sh dumps/ out/ hosts.txt
#
# On one machine, prefer a single batch process, which starts Python once:
#   artconv convert dumps/*.txt -t json -o out/ --jobs 0
set -eu
in=${1:?dumps folder}; out=${2:?output folder}; hosts=${3:?hosts file}
mkdir -p "$out"
find "$in" -type f \( -name '*.txt' -o -name '*.html' \) -print0 |
  parallel -0 --sshloginfile "$hosts" --transferfile {} --return "$out/{/.}.json" --cleanup \
    "mkdir -p $out && artconv convert {} -t json -o $out/{/.}.json --quiet"
