"""Find the store URLs a document names, among thousands of known ones, without compiling
one alternation of all of them (that regex alone cost half a second per verify)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


class UrlFinder:
    """Leftmost-longest occurrences of known URLs, as ``re.finditer`` over their alternation
    (longest first) would give: every URL starts with their common prefix, so only the places
    where that prefix occurs are tried, each against the URL lengths longest first."""

    def __init__(self, urls: Iterable[str]) -> None:
        self.by_length: dict[int, set[str]] = {}
        for url in urls:
            self.by_length.setdefault(len(url), set()).add(url)
        self.lengths = sorted(self.by_length, reverse=True)
        everything = [u for group in self.by_length.values() for u in group]
        first, last = (min(everything), max(everything)) if everything else ("", "")
        n = 0
        while n < min(len(first), len(last)) and first[n] == last[n]:
            n += 1
        self.prefix = first[:n]  # of the sorted ends: of all of them

    def __bool__(self) -> bool:
        return bool(self.lengths)

    def finditer(self, text: str) -> Iterator[str]:
        if not self.lengths:
            return
        pos = text.find(self.prefix)
        while pos >= 0:
            found = next((text[pos:pos + n] for n in self.lengths
                          if text[pos:pos + n] in self.by_length[n]), None)
            if found is None:
                pos = text.find(self.prefix, pos + 1)
            else:
                yield found
                pos = text.find(self.prefix, pos + len(found))
