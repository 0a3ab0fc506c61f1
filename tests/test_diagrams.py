"""The book's explanatory diagrams: drawn by tools/diagrams.py, committed as SVG, shown by
the chapters with a caption and real alt text.

- Regenerating the diagrams gives byte-identical files, so a committed SVG cannot drift from
  the script that draws it (fix: ``.venv/bin/python tools/diagrams.py`` and commit).
- Every SVG is well-formed XML on an opaque white card (readable on the dark theme).
- Every SVG is shown by a chapter through a MyST ``{figure}`` directive with alt text that
  describes it (not a file name), a caption, a ``:name:`` label and a width; every figure
  directive of a chapter points to a file that exists.
- In the built book (slow: the session's book build), each diagram is an ``<img>`` inside a
  ``<figure>`` with that alt text and a caption.
"""

import html
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIGURES = REPO / "book" / "figures"
SCRIPT = REPO / "tools" / "diagrams.py"
CHAPTERS = sorted((REPO / "book").glob("0*_*.md"))
SVGS = sorted(FIGURES.glob("*.svg"))

# ```{figure} path  (or :::{figure} path) ... the closing fence of the same kind
DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{figure\}[ \t]+(?P<path>\S+)[ \t]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.M | re.S,
)


def figure_directives():
    """Every {figure} directive of the chapters: dicts with chapter, path, options, caption."""
    found = []
    for chapter in CHAPTERS:
        for match in DIRECTIVE.finditer(chapter.read_text(encoding="utf-8")):
            options, caption, lines = {}, [], match["body"].splitlines()
            for k, line in enumerate(lines):
                option = re.match(r"^:([\w-]+):\s*(.*)$", line)
                if not option:
                    caption = lines[k:]
                    break
                options[option[1]] = option[2].strip()
            found.append(
                {
                    "chapter": chapter.name,
                    "path": match["path"],
                    "options": options,
                    "caption": " ".join(line.strip() for line in caption).strip(),
                }
            )
    return found


def test_there_are_at_least_twelve_diagrams():
    assert len(SVGS) >= 12, f"only {len(SVGS)} diagrams in {FIGURES}; run tools/diagrams.py"


def test_regenerating_the_diagrams_gives_identical_files(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    fresh = {path.name for path in tmp_path.glob("*.svg")}
    committed = {path.name for path in SVGS}
    assert fresh == committed, (
        f"tools/diagrams.py draws {sorted(fresh)} but book/figures holds {sorted(committed)}: "
        "run `.venv/bin/python tools/diagrams.py` and commit book/figures"
    )
    drifted = [
        name
        for name in sorted(fresh)
        if (tmp_path / name).read_bytes() != (FIGURES / name).read_bytes()
    ]
    assert not drifted, (
        f"{drifted} differ from what tools/diagrams.py draws now: run "
        "`.venv/bin/python tools/diagrams.py` and commit book/figures"
    )


def test_the_script_names_an_unknown_diagram():
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", "/nonexistent-never-written", "--only", "nope"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode != 0
    assert "unknown diagram" in proc.stderr and "perceptron" in proc.stderr, proc.stderr


@pytest.mark.parametrize("svg", SVGS, ids=lambda path: path.stem)
def test_each_svg_is_well_formed_on_a_white_card(svg):
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg", f"{svg.name}: not an SVG document"
    assert root.get("viewBox"), f"{svg.name}: no viewBox, so it cannot scale to the column"
    source = svg.read_text(encoding="utf-8")
    card = re.search(r'<g id="patch_2">\s*<path d="[^"]*"[^>]*style="([^"]*)"', source)
    assert card and "fill: #ffffff" in card[1] and "stroke:" in card[1], (
        f"{svg.name}: the first shape is not the opaque white card with a border"
    )
    assert "<dc:date>" not in source, f"{svg.name}: a date in the metadata breaks reproducibility"
    assert "<text" not in source, f"{svg.name}: text must be drawn as paths (svg.fonttype)"


def test_every_figure_directive_points_to_an_existing_file():
    missing = [
        f"{d['chapter']}: {d['path']}"
        for d in figure_directives()
        if not (REPO / "book" / d["path"]).is_file()
    ]
    assert not missing, f"figure directives whose file does not exist: {missing}"


@pytest.mark.parametrize("svg", SVGS, ids=lambda path: path.stem)
def test_each_diagram_is_shown_with_alt_text_caption_and_label(svg):
    uses = [d for d in figure_directives() if Path(d["path"]).name == svg.name]
    assert uses, f"no chapter shows figures/{svg.name} with a {{figure}} directive"
    for use in uses:
        where = f"{use['chapter']} ({svg.name})"
        alt = use["options"].get("alt", "")
        words = re.findall(r"[A-Za-z]+", alt)
        assert len(words) >= 8, f"{where}: alt text too short to describe the diagram: {alt!r}"
        assert not re.search(r"\.(svg|png)\b", alt, re.I), f"{where}: alt text is a file name"
        assert alt.lower().strip(" .") not in {svg.stem.lower(), svg.stem.replace("_", " ")}, (
            f"{where}: alt text repeats the file name instead of describing the diagram"
        )
        assert use["options"].get("name", "").startswith("fig-"), f"{where}: no :name: fig-..."
        assert use["options"].get("width"), f"{where}: no :width:"
        assert use["caption"], f"{where}: no caption"
        assert use["caption"] != alt, f"{where}: the alt text only repeats the caption"


class _Figures(HTMLParser):
    """The <img> tags of a page, each with its alt text and whether a <figure> holds it."""

    def __init__(self):
        super().__init__()
        self.depth, self.images = 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self.depth += 1
        elif tag == "img":
            self.images.append((attrs.get("src", ""), attrs.get("alt", ""), self.depth > 0))

    def handle_endtag(self, tag):
        if tag == "figure":
            self.depth -= 1


@pytest.mark.slow
def test_the_built_book_shows_every_diagram_with_its_alt_text(built_book):
    expected = {Path(d["path"]).name: d for d in figure_directives()}
    shown = {}
    for chapter in CHAPTERS:
        page = built_book / "html" / "book" / f"{chapter.stem}.html"
        assert page.is_file(), f"{page} was not built"
        parser = _Figures()
        parser.feed(page.read_text(encoding="utf-8"))
        for src, alt, in_figure in parser.images:
            name = Path(src).name
            if name in expected:
                shown[name] = (chapter.name, html.unescape(alt), in_figure)
    assert set(shown) == set(expected), (
        f"diagrams missing from the HTML: {set(expected) - set(shown)}"
    )
    for name, (chapter, alt, in_figure) in shown.items():
        assert in_figure, f"{chapter}: {name} is not inside a <figure>"
        assert alt == expected[name]["options"]["alt"], f"{chapter}: {name} has alt {alt!r}"
