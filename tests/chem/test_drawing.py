from __future__ import annotations

import pytest

from precursor_watch.chem import StructureError, draw_svg, standardize_text
from precursor_watch.chem.drawing import HIGHLIGHT_RGB


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02X}" for c in rgb)


def test_svg_highlights_atoms_and_bonds() -> None:
    std = standardize_text("CC(C)(C)OC(=O)N1CCC(Nc2ccccc2)CC1")
    plain = draw_svg(std.mol)
    marked = draw_svg(std.mol, highlight_atoms=(0, 1, 2, 3, 4, 5, 6), legend="Boc")
    assert plain.startswith("<?xml") and "</svg>" in marked
    assert _hex(HIGHLIGHT_RGB) not in plain
    assert marked.count(_hex(HIGHLIGHT_RGB)) >= 7
    assert "Boc" in marked or "class='legend'" in marked


def test_svg_from_text_and_size() -> None:
    svg = draw_svg("O=C1CCNCC1", size=(200, 150))
    assert "width='200px'" in svg and "height='150px'" in svg


def test_bad_input_raises_structure_error() -> None:
    with pytest.raises(StructureError, match="out of range"):
        draw_svg("CCO", highlight_atoms=(7,))
    with pytest.raises(StructureError):
        draw_svg("C1CC")
