"""Fast school pages (README "Fast builds"): the site is the same bytes as MkDocs' own rendering, for
the example as it is and after the changes a maintainer makes to the theme; and the shell's own rules."""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xiaowu.pages.shell import PROBES, TOKENS, Shell, inert, make_shell

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1795219200"  # 2026-11-21
SCHOOL = Path("schools") / "qingshi" / "qingshi-00003" / "index.html"


def _project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "schools", root / "schools")
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _build(project: Path, fast: bool) -> tuple[Path, str]:
    site = project / ("site-fast" if fast else "site-plain")
    config = project / ("fast.yml" if fast else "plain.yml")
    text = (project / "mkdocs.yml").read_text("utf-8")
    config.write_text(text.replace("      data_dir: schools", f"      data_dir: schools\n      fast_pages: {str(fast).lower()}", 1),
                      "utf-8")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)], cwd=project,
                          capture_output=True, text=True, timeout=900,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return site, proc.stderr


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _same_both_ways(project: Path) -> tuple[dict[str, bytes], str]:
    fast, log = _build(project, True)
    plain, _ = _build(project, False)
    got, want = _files(fast), _files(plain)
    assert sorted(got) == sorted(want)
    differing = [name for name in want if got[name] != want[name]]
    assert differing == [], differing[:10]
    return got, log


def _shelled(log: str) -> int:
    line = next(line for line in log.splitlines() if "个学校和县区页面、纸质材料套用主题外壳" in line)
    return int(line.split("xiaowu：")[1].split(" ")[0])


def test_the_example_is_the_same_bytes_both_ways_and_the_fast_way_is_taken(tmp_path: Path) -> None:
    files, log = _same_both_ways(_project(tmp_path / "example"))
    schools = [name for name in files if name.startswith("schools/") and name.count("/") == 3]
    papers = [name for name in files if name.startswith("schools/") and name.count("/") == 4 and name.endswith(".html")]
    # Nearly every school page and paper from a shell (a page whose kind no other page shares goes the plain way).
    counties = [name for name in files if name.startswith(("schools/", "compliance/")) and name.count("/") == 2
                and name.endswith("/index.html")]
    assert len(schools) >= 40 and len(papers) >= 80 and len(counties) >= 6
    assert len(schools + papers + counties) - 5 <= _shelled(log) <= len(schools + papers + counties)


# A maintainer's change to the theme, and whether school pages can still come from a shell.
THEME_CHANGES = {
    "palette and features": (
        "  font: false\n",
        "  font: false\n  palette:\n    primary: teal\n    accent: deep orange\n"
        "  features:\n    - navigation.tabs\n    - header.autohide\n    - navigation.top\n",
        {}, True),
    "extra_css and an override that shows the title and address again": (
        "docs_dir: docs\n", "docs_dir: docs\nextra_css:\n  - extra.css\n",
        {"main.html": '{% extends "base.html" %}\n{% block extrahead %}<meta name="x" content="{{ page.title | e }}'
                      ' {{ page.url }} {{ page.canonical_url }}">{% endblock %}\n'}, True),
    "an override that cuts the title (no shell can hold that)": (
        "docs_dir: docs\n", "docs_dir: docs\n",
        {"main.html": '{% extends "base.html" %}\n{% block extrahead %}<meta name="x" content="{{ page.title | truncate(9) }}">'
                      '{% endblock %}\n'}, False),
    "an override that shows the source file's name (no slot for that)": (
        "docs_dir: docs\n", "docs_dir: docs\n",
        {"main.html": '{% extends "base.html" %}\n{% block extrahead %}{% if page %}<meta name="x" '
                      'content="{{ page.file.src_uri }}">{% endif %}{% endblock %}\n'}, False),
    "an override that tests the body": (
        "docs_dir: docs\n", "docs_dir: docs\n",
        {"main.html": '{% extends "base.html" %}\n{% block extrahead %}{% if "xw-refund" in page.content %}'
                      '<meta name="refunds">{% endif %}{% endblock %}\n'}, None),
}


@pytest.mark.parametrize("change", sorted(THEME_CHANGES))
def test_a_theme_change_shows_on_school_pages_both_ways(tmp_path: Path, change: str) -> None:
    old, new, overrides, shelled = THEME_CHANGES[change]
    project = _project(tmp_path / "p")
    _edit(project / "mkdocs.yml", old, new)
    (project / "docs" / "extra.css").write_text(".md-header { outline: 1px solid teal; }\n", "utf-8")
    if overrides:
        _edit(project / "mkdocs.yml", "  font: false\n", "  font: false\n  custom_dir: overrides\n")
        for name, text in overrides.items():
            (project / "overrides" / name).parent.mkdir(parents=True, exist_ok=True)
            (project / "overrides" / name).write_text(text, "utf-8")
    files, log = _same_both_ways(project)
    page = files[SCHOOL.as_posix()].decode("utf-8")
    if "palette" in change:
        assert 'data-md-color-primary="teal"' in page and "md-tabs" in page and "md-top" in page
    if "extra_css" in change:
        assert "extra.css" in page and 'content="青石县柳湾中学' in page and "schools/qingshi/qingshi-00003/" in page
    if shelled:
        assert _shelled(log) > 40
    elif shelled is not None:  # no school page or paper; a county page's source is its address + index.md
        assert _shelled(log) <= 6


# -- the shell's rules, without MkDocs ----------------------------------------------------------------

@pytest.mark.parametrize("text", ["青石一中 2026年春季学期收费公示", "A-1 (小学)", "x", "",
                                  "第1中学（城关）2026 年秋季学期收费公示：校服费 300.00 元、伙食费 等 5 项。"])
def test_inert_text_passes_every_filter_unchanged(text: str) -> None:
    from markupsafe import Markup, escape
    assert inert(text)
    assert str(escape(text)) == text and Markup(text).striptags() == text


@pytest.mark.parametrize("text", ["A &amp; B", "a<b", 'say "hi"', "it's", " lead", "trail ", "two  spaces",
                                  "new\nline", "tab\there", "50%", "a+b", "\u3000全角空格"])
def test_text_a_filter_could_change_is_not_inert(text: str) -> None:
    assert not inert(text)


def _random_page(rng: random.Random) -> dict[str, str]:
    words = ["青石", "中学", "收费", "2026", "A", "-", "·", "（", "）"]
    return {"title": " ".join(rng.choice(words) for _ in range(rng.randint(1, 4))),
            "description": "".join(rng.choice(words) for _ in range(rng.randint(0, 9))),
            "body": f"<h1>{rng.random()}</h1><p>s/b/ {TOKENS['title']}</p>" if rng.random() < 0.5 else f"<p>{rng.random()}",
            "url": f"schools/c{rng.randint(0, 9)}/s-{rng.randint(0, 99999):05d}/"}


@pytest.mark.parametrize("seed", range(8))
def test_a_filled_shell_is_what_the_page_would_have_been(seed: int) -> None:
    """A toy theme that shows title, description and address in several places, filled for random pages."""
    rng = random.Random(seed)

    def theme(page: dict[str, str]) -> str:
        return (f"<title>{page['title']} - 站</title><meta content=\"{page['description']}\">"
                f"<link href=\"https://x.cn/{page['url']}\"><h1>{page['title']}</h1>{page['body']}"
                f"<a href=\"/{page['url']}#top\">{page['title']}</a>")
    first = _random_page(rng)
    shell = make_shell(theme({**first, **{k: TOKENS[k] for k in TOKENS}}), first["url"], first["body"])
    assert isinstance(shell, Shell) and shell.slots.count("body") == 1 and shell.slots.count("url") == 2
    for _ in range(50):
        page = _random_page(rng)
        if shell.fits(page["body"]):
            assert shell.fill(page) == theme(page)
        else:
            assert tuple(p in page["body"] for p in PROBES) != shell.probes


@pytest.mark.parametrize("shown", ["{body}{body}", "", "{body}{title_upper}", "{body}{title_cut}", "{body}{title_json}"])
def test_a_theme_that_changes_or_repeats_a_slot_gets_no_shell(shown: str) -> None:
    import json
    title = TOKENS["title"]
    html = shown.format(body="<p>B</p>", title_upper=title.upper(), title_cut=title[:12] + "…",
                        title_json=json.dumps(title))
    assert make_shell(html, "s/a/", "<p>B</p>") is None


def test_the_editor_config_is_the_same_text_from_libyaml_and_pure_python() -> None:
    import yaml

    from xiaowu.check.project import check_project
    from xiaowu.editor import config as cms_config
    from xiaowu.editor.backend import local_backend
    from xiaowu.read.schema import load_schema
    from xiaowu.read.today import resolve_today

    policy = check_project(REPO / "schools", today=resolve_today()).policy
    built = cms_config.build(load_schema("school"), policy, "schools", {}, local_backend())
    text = cms_config.dump(built)
    pure = yaml.dump(dict(built), Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=1000)
    assert hasattr(yaml, "CSafeDumper") and text.endswith(pure) and len(pure) > 10_000


# -- the search stage (publish/search.py) ---------------------------------------------------------------

BLOCK = '<div hidden data-pagefind-body data-pagefind-meta="title[data-title]" data-title="青石一中"><p>青石一中</p></div>'


@pytest.mark.parametrize(("body", "block"), [
    (f"<article>正文</article>{BLOCK}<p>后文</p>", BLOCK),
    ("<article>正文，没有检索块</article>", ""),
    (f"{BLOCK}{BLOCK}", None),  # two blocks: the indexer gets the page whole
    (BLOCK.replace("<p>", "<div><p>", 1), None),  # a nested <div>
    ('<div data-pagefind-body><p>别的写法</p></div>', None),
    (BLOCK.replace("</div>", ""), None),  # no end
])
def test_a_search_block_is_taken_alone_only_when_it_is_unambiguous(body: str, block: str | None) -> None:
    from xiaowu.publish.search import search_block
    assert search_block(body) == block


def test_the_index_from_the_stage_is_the_index_from_the_site(tmp_path: Path) -> None:
    """Pagefind over the stage (blocks alone, the other pages linked whole) writes the same files as
    over the whole site, and the stage is gone afterwards."""
    from xiaowu.publish.search import SEARCH_STAGE, build_index, search_block
    site = _project(tmp_path / "p")
    built, _ = _build(site, True)
    whole, staged = tmp_path / "whole", tmp_path / "staged"
    for copy in (whole, staged):
        shutil.copytree(built, copy)
        shutil.rmtree(copy / "pagefind")
    handled = set()
    for page in sorted(staged.glob("schools/*/*/index.html")):
        relative = page.relative_to(staged).as_posix()
        block = search_block(page.read_text("utf-8"))
        assert block
        (staged / SEARCH_STAGE / relative).parent.mkdir(parents=True, exist_ok=True)
        (staged / SEARCH_STAGE / relative).write_text(f'<html lang="zh-CN"><body>{block}</body></html>', "utf-8")
        handled.add(relative)
    assert len(handled) >= 40
    one, two = build_index(whole), build_index(staged, frozenset(handled))
    assert one.ok and two.ok and one.pages == two.pages > len(handled)
    assert _files(whole / "pagefind") == _files(staged / "pagefind")
    assert not (staged / SEARCH_STAGE).exists()


# -- other plugins ----------------------------------------------------------------------------------

def _hook(project: Path, code: str) -> None:
    (project / "hook.py").write_text(code, "utf-8")
    _edit(project / "mkdocs.yml", "docs_dir: docs\n", "docs_dir: docs\nhooks:\n  - hook.py\n")


def test_another_plugins_post_build_sees_every_page(tmp_path: Path) -> None:
    project = _project(tmp_path / "p")
    _hook(project, "from pathlib import Path\n\n\ndef on_post_build(config, **kwargs):\n"
                   "    site = Path(config.site_dir)\n"
                   "    (site / 'hook-count.txt').write_text(str(len(list(site.glob('schools/*/*/index.html')))))\n")
    site, log = _build(project, True)
    assert _shelled(log) > 40
    schools = list(site.glob("schools/*/*/index.html"))
    assert len(schools) >= 40 and (site / "hook-count.txt").read_text() == str(len(schools))


def test_a_plugin_listening_to_page_events_turns_the_fast_way_off(tmp_path: Path) -> None:
    project = _project(tmp_path / "p")
    _hook(project, "def on_page_content(html, page, **kwargs):\n"
                   "    return html.replace('</article>', '<!-- hook --></article>', 1)\n")
    files, log = _same_both_ways(project)
    assert "其他插件处理页面事件（page_content）" in log and "套用主题外壳" not in log
    assert "<!-- hook -->" in files[SCHOOL.as_posix()].decode("utf-8")


def test_pages_with_the_same_sections_share_one_table_of_contents(tmp_path: Path) -> None:
    from xiaowu.fastpages import toc_of

    entries = [(2, "fees", "收费公示"), (2, "x", "<b>&")]
    one = toc_of(entries)
    assert toc_of(tuple(entries)) is one and toc_of(entries[:1]) is not one
    assert [(a.title, a.url, a.level) for a in one] == [("收费公示", "#fees", 2), ("&lt;b&gt;&amp;", "#x", 2)]
    # In a build: the example's school pages hold as many tables of contents as they have kinds of sections.
    # (A county's page keeps the one MkDocs makes from its Markdown.)
    project = _project(tmp_path / "p")
    _hook(project, "from pathlib import Path\n\n\ndef on_env(env, config, files, **kwargs):\n"
                   "    tocs = [f.page.toc for f in files.documentation_pages() if f.src_uri.startswith('schools/')\n"
                   "            and f.src_uri.count('/') == 2 and not f.src_uri.endswith('/index.md') and f.page]\n"
                   "    kinds = {tuple((a.title, a.url) for a in toc) for toc in tocs}\n"
                   "    Path(config.config_file_path).with_name('tocs.txt').write_text(\n"
                   "        f'{len(tocs)} {len({id(t) for t in tocs})} {len(kinds)}')\n")
    _build(project, True)
    pages, objects, kinds = map(int, (project / "tocs.txt").read_text().split())
    assert pages >= 40 and objects == kinds < pages / 4
