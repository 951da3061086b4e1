"""Stream the repeated records of a big XML file (``<INDIVIDUAL>``, ``<sdnEntry>``...) as small
ElementTree elements, each with the line it starts on, in bounded memory.

ElementTree's iterparse gives no line numbers, so expat drives an ElementTree TreeBuilder here.
Namespaces are not expanded: tags keep the names written in the file (``sdnEntry``). A file that
is not well-formed XML (a truncated download) raises :class:`ListLoadError` naming the line.
"""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from xml.parsers import expat

from precursor_watch.errors import ListLoadError

CHUNK = 1 << 16


class _Collector:
    def __init__(self, parser: expat.XMLParserType, record_tags: frozenset[str]) -> None:
        self.parser = parser
        self.record_tags = record_tags
        self.builder: ET.TreeBuilder | None = None
        self.depth_in_record = 0
        self.start_line = 0
        self.done: list[tuple[int, ET.Element]] = []
        self.root_attributes: dict[str, str] = {}
        self.root_tag: str | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.root_tag is None:
            self.root_tag, self.root_attributes = tag, dict(attrs)
        if self.builder is None and tag in self.record_tags:
            self.builder = ET.TreeBuilder()
            self.start_line = self.parser.CurrentLineNumber
        if self.builder is not None:
            self.depth_in_record += 1
            self.builder.start(tag, attrs)

    def end(self, tag: str) -> None:
        if self.builder is None:
            return
        self.builder.end(tag)
        self.depth_in_record -= 1
        if self.depth_in_record == 0:
            self.done.append((self.start_line, self.builder.close()))
            self.builder = None

    def data(self, text: str) -> None:
        if self.builder is not None:
            self.builder.data(text)


class XmlRecords:
    """Iterate ``(line, element)`` for each record tag; ``root_attributes`` fill on the first."""

    def __init__(self, path: Path, record_tags: set[str]) -> None:
        self.path = path
        self.parser = expat.ParserCreate()
        self.collector = _Collector(self.parser, frozenset(record_tags))
        self.parser.StartElementHandler = self.collector.start
        self.parser.EndElementHandler = self.collector.end
        self.parser.CharacterDataHandler = self.collector.data
        self.parser.buffer_text = True

    @property
    def root_attributes(self) -> dict[str, str]:
        return self.collector.root_attributes

    def head(self, size: int = CHUNK) -> None:
        """Parse only the first ``size`` bytes (enough to read the root's attributes)."""
        with self.path.open("rb") as handle:
            probe = expat.ParserCreate()
            probe.StartElementHandler = self._probe_start
            with contextlib.suppress(expat.ExpatError):
                probe.Parse(handle.read(size), False)

    def _probe_start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.collector.root_tag is None:
            self.collector.root_tag, self.collector.root_attributes = tag, dict(attrs)

    def __iter__(self) -> Iterator[tuple[int, ET.Element]]:
        with self.path.open("rb") as handle:
            while True:
                chunk = handle.read(CHUNK)
                try:
                    self.parser.Parse(chunk, not chunk)
                except expat.ExpatError as exc:
                    raise ListLoadError(
                        f"{self.path.name}:{exc.lineno}: not well-formed XML "
                        f"({expat.errors.messages[exc.code]}): the file is damaged or cut off; "
                        "nothing was loaded from it"
                    ) from exc
                yield from self.collector.done
                self.collector.done.clear()
                if not chunk:
                    return


def text_of(element: ET.Element, path: str) -> str | None:
    """Stripped text at ``path`` under ``element``, None when absent or blank."""
    found = element.findtext(path)
    if found is None:
        return None
    found = " ".join(found.split())
    return found or None


def texts_of(element: ET.Element, path: str) -> list[str]:
    return [t for t in (" ".join((e.text or "").split()) for e in element.findall(path)) if t]
