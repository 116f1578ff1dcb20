#!/bin/sh
# A CI job: every scraped page of a folder to JSON, to Markdown and into one EPUB.
#
#   sh examples/batch-ci.sh [IN_DIR [OUT_DIR]]     (default: scraped site)
#
# artconv's exit status says what happened: 0 all converted, 1 an input could not be converted
# (the one-line error names it), 2 a usage error, 3 an input converted with a loss under
# --strict (dropped content, a missing local picture, a guessed format: the warnings say which).
# The job runs every step, then fails with the worst status, saying which kind it was.
set -u
in="${1:-scraped}"
out="${2:-site}"
worst=0

step() {
    "$@"
    status=$?
    if [ "$status" -gt "$worst" ]; then worst=$status; fi
}

step artconv convert "$in"/*.html -t json -o "$out/data/" --jobs 0 --strict
step artconv convert "$in"/*.html -t md -o "$out/content/" --jobs 0 --strict
# one file: written whole or not at all (any failed or refused input leaves it out)
step artconv convert "$in"/*.html -o "$out/today.epub" --title "Today's articles" --strict

case $worst in
    0) ;;
    3) echo "ci: an article lost content under --strict (see the warnings above)" >&2 ;;
    *) echo "ci: an input could not be converted (exit $worst)" >&2 ;;
esac
exit $worst
