#!/bin/sh
# A CI job: every scraped article of a folder to JSON, Markdown and one EPUB, failing the job
# when an input cannot be converted (exit 1) or, with --strict, when one needed a guess (exit 3).
set -eu
artconv convert scraped/*.html -t json -o site/data/ --jobs 0
artconv convert scraped/*.html -t md -o site/content/ --jobs 0
artconv convert scraped/*.html -o site/today.epub --title "Today's articles"
artconv convert scraped/*.html -t jsonl --quiet | jq -r '.meta.title'
