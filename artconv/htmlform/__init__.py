"""artconv's HTML, as :mod:`artconv.jsonform` is its JSON: the markup the HTML and EPUB writers
make from the model (:mod:`.render`), the same markup read back one to one (:mod:`.readback`),
the names both use (:mod:`.vocab`), and what every reader of HTML shares: bytes to a tree
(:mod:`.tree`), the real picture of an ``<img>`` (:mod:`.images`) and any HTML element to model
blocks (:mod:`.convert`) for the HTML, Markdown and EPUB readers.
"""
