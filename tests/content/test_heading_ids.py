"""Heading anchors are unique for any sequence of headings (issue: "Latihan", "Latihan",
"Latihan 2" gave ``bagian-latihan-2`` twice).

The property is checked exhaustively over every sequence of up to four headings drawn from
titles chosen to collide (the same words in other cases and accents, titles that already
end in ``-2`` or `` 2``, titles without a single letter), and through the Markdown renderer
on seeded random documents.
"""

from __future__ import annotations

import itertools
import random
import re

from portal.markdown import HEADING_ID_PREFIX, _slugify, render_markdown, unique_slugs

#: Heading texts whose slugs collide with each other or with numbered copies.
TRICKY = ["Latihan", "Latihan", "Latihan 2", "latihan-2", "LATIHAN 2 2", "Látihan",
          "Latihan-3", "!!!", "Bagian", "", "Ringkasan"]


def _ids(html: str) -> list[str]:
    return re.findall(r'<h[1-6] id="([^"]+)"', html)


def test_the_reported_sequence_gets_three_different_ids():
    html = render_markdown("## Latihan\n\na\n\n## Latihan\n\nb\n\n## Latihan 2\n\nc\n")
    assert _ids(html) == ["bagian-latihan", "bagian-latihan-2", "bagian-latihan-2-2"]


def test_every_sequence_of_up_to_four_headings_gets_unique_ids():
    bases = sorted({_slugify(text) for text in TRICKY})
    checked = 0
    for length in range(1, 5):
        for sequence in itertools.product(bases, repeat=length):
            slugs = unique_slugs(sequence)
            assert len(set(slugs)) == len(slugs), sequence
            for base, slug in zip(sequence, slugs):
                # Each id is its heading's own slug, or that slug with a number added.
                assert slug == base or re.fullmatch(re.escape(base) + r"-\d+", slug), (
                    sequence, slugs)
            # The first heading always keeps its own slug, and the result is deterministic.
            assert slugs[0] == sequence[0]
            assert unique_slugs(sequence) == slugs
            checked += 1
    assert checked == sum(len(bases) ** n for n in range(1, 5))


def test_a_heading_whose_slug_is_free_keeps_it():
    assert unique_slugs(["latihan", "latihan-2", "latihan"]) == [
        "latihan", "latihan-2", "latihan-3"]
    assert unique_slugs(["a", "a", "a-2", "a-2"]) == ["a", "a-2", "a-2-2", "a-2-3"]


def test_rendered_documents_never_repeat_an_id():
    rng = random.Random(20261129)
    for _ in range(300):
        titles = [rng.choice(TRICKY) for _ in range(rng.randint(1, 8))]
        levels = [rng.randint(1, 4) for _ in titles]
        text = "\n\n".join(f"{'#' * level} {title}\n\nteks" if title else f"{'#' * level}\n\nteks"
                           for level, title in zip(levels, titles))
        ids = _ids(render_markdown(text))
        assert len(ids) == len(titles)
        assert len(set(ids)) == len(ids), titles
        assert all(i.startswith(HEADING_ID_PREFIX) for i in ids)
