"""The JSON format: lossless, byte-stable, schema-valid; text -> JSON -> text -> JSON stable."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from .conftest import FIXTURES, run_cli, validate_json

TEXT_FIXTURES = sorted((FIXTURES / "text").glob("*.txt"))
EXTRA = {"extra-phrase": ["--related-heading", "Тоже интересно"]}


def to_json(path, *extra: str) -> bytes:
    run = run_cli("convert", path, "--to", "json", *extra)
    assert run.exit_code == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("path", TEXT_FIXTURES, ids=lambda p: p.stem)
def test_json_to_json_is_byte_identical(path):
    first = to_json(path, *EXTRA.get(path.stem, []))
    again = run_cli("convert", "-", "--from", "json", "--to", "json", input=first)
    assert again.exit_code == 0, again.stderr
    assert again.stdout == first
    assert first.endswith(b"}\n") and not first.endswith(b"\n\n")


@pytest.mark.parametrize("path", TEXT_FIXTURES, ids=lambda p: p.stem)
def test_text_json_text_json_is_stable(path):
    extra = EXTRA.get(path.stem, [])
    first = to_json(path, *extra)
    text = run_cli("convert", "-", "--from", "json", "--to", "text", input=first)
    assert text.exit_code == 0, text.stderr
    second = run_cli("convert", "-", "--from", "text", "--to", "json", *extra,
                     input=text.stdout)
    assert second.exit_code == 0, second.stderr
    assert json.loads(second.stdout) == json.loads(first)


def test_json_is_utf8_unescaped_with_fixed_key_order():
    out = to_json(FIXTURES / "text" / "seed.txt")
    assert "Чиновников".encode() in out
    assert b"\\u04" not in out
    doc = json.loads(out)
    assert list(doc) == ["version", "meta", "blocks"]
    assert list(doc["meta"]) == ["title", "subtitle", "authors", "date", "modified", "lang",
                                 "section", "categories", "tags", "description", "image",
                                 "site", "hostname", "url", "license", "extra"]
    assert list(doc["blocks"][0]) == ["type", "src", "alt", "title", "link", "caption"]


def test_version_1_documents_are_read_with_the_later_fields_empty():
    v1 = _doc('[{"type": "paragraph", "children": [{"type": "text", "text": "x"}]}]')
    run = run_cli("convert", "-", "--from", "json", "--to", "json", input=v1)
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    assert doc["version"] == 2 and doc["meta"]["title"] == "t"
    assert doc["meta"]["tags"] == [] and doc["meta"]["description"] is None
    newer = _doc("[]", _META[:-1] + ', "tags": []}')
    run = run_cli("convert", "-", "--from", "json", "--to", "json", input=newer)
    assert run.exit_code == 1 and "meta.tags: unknown key (in a version 1 document)" in run.stderr


def test_schema_command_prints_a_valid_2020_12_schema():
    run = run_cli("schema")
    assert run.exit_code == 0
    schema = json.loads(run.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    good = json.loads(to_json(FIXTURES / "text" / "seed.txt"))
    assert validator.is_valid(good)
    bad = json.loads(json.dumps(good))
    bad["blocks"][0]["type"] = "picture"
    assert not validator.is_valid(bad)


def test_jsonl_one_document_per_line_and_back():
    paths = TEXT_FIXTURES[:4]
    run = run_cli("convert", *paths, "--to", "jsonl")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.decode().splitlines()
    assert len(lines) == len(paths)
    for line, path in zip(lines, paths, strict=True):
        doc = json.loads(line)
        validate_json(doc)
        assert doc == json.loads(to_json(path))
    back = run_cli("convert", "-", "--from", "jsonl", "--to", "jsonl", input=run.stdout)
    assert back.stdout == run.stdout


def test_line_separators_survive_jsonl():
    doc = json.loads(to_json(FIXTURES / "text" / "seed.txt"))
    doc["meta"]["title"] = "a\u2028b\u2029c"
    line = run_cli("convert", "-", "--from", "json", "--to", "jsonl",
                   input=json.dumps(doc).encode())
    assert line.stdout.count(b"\n") == 1
    assert json.loads(line.stdout)["meta"]["title"] == "a\u2028b\u2029c"


_META = ('"meta": {"title": "t", "subtitle": null, "authors": [], "date": null, "lang": null, '
         '"section": null, "site": null, "url": null}')


def _doc(blocks: str, meta: str = _META) -> bytes:
    return ('{"version": 1, ' + meta + ', "blocks": ' + blocks + "}").encode()


@pytest.mark.parametrize("payload,message", [
    (b"{not json", "malformed JSON"),
    (b'{"version": 3, "meta": {}, "blocks": []}', "unsupported JSON version 3"),
    (_doc("[]", '"meta": {"title": 5}'), "meta.title: expected a string"),
    (_doc("[]", '"meta": {"title": "t"}'), "meta: missing key 'subtitle'"),
    (_doc('[{"type": "video"}]'), "blocks[0].type: unknown block type 'video'"),
    (_doc('[{"type": "heading", "level": 9, "children": []}]'),
     "blocks[0].level: expected an integer from 1 to 6"),
    (_doc('[{"type": "rule", "colour": "red"}]'), "blocks[0].colour: unknown key"),
    (_doc('[{"type": "list", "ordered": true, "start": ' + "9" * 5000 + ', "items": []}]'),
     "malformed JSON"),
    (_doc('[{"type": "list", "ordered": true, "start": 10000000000, "items": []}]'),
     "blocks[0].start: expected an integer from 0 to 999999999"),
    (_doc('[{"type": "paragraph", "children": [{"type": "text"}]}]'),
     "blocks[0].children[0]: missing key 'text'"),
    (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
    (b"", "empty input"),
])
def test_bad_json_is_a_one_line_error(payload: bytes, message: str):
    run = run_cli("convert", "-", "--from", "json", "--to", "json", input=payload)
    assert run.exit_code == 1
    assert run.stdout == b""
    assert message in run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_lone_surrogates_and_controls_never_reach_the_output():
    doc = json.loads(to_json(FIXTURES / "text" / "seed.txt"))
    raw = json.dumps(doc, ensure_ascii=False).replace("Чиновников", "\\ud800Чинов\\u0001ников")
    run = run_cli("convert", "-", "--from", "json", "--to", "json", input=raw.encode())
    assert run.exit_code == 0
    title = json.loads(run.stdout)["meta"]["title"]
    assert title.startswith("\ufffdЧиновников")
    run.stdout.decode("utf-8")  # strict: no surrogates made it out


def test_model_nodes_are_frozen_dataclasses_to_the_standard_library():
    import dataclasses

    import artconv
    from artconv.model import Paragraph, Text

    article = artconv.read((FIXTURES / "text" / "seed.txt").read_bytes(),
                           from_="text")
    assert dataclasses.is_dataclass(article)
    assert [f.name for f in dataclasses.fields(article)] == ["meta", "blocks"]
    as_dict = dataclasses.asdict(article)
    assert as_dict["meta"]["title"] == article.meta.title
    paragraph = next(b for b in article.blocks if isinstance(b, Paragraph))
    changed = dataclasses.replace(paragraph, children=(Text("x"),))
    assert changed == Paragraph((Text("x"),)) and changed != paragraph
    with pytest.raises(AttributeError):  # as dataclasses.FrozenInstanceError is
        paragraph.children = ()  # type: ignore[misc]
    assert hash(changed) == hash(Paragraph((Text("x"),)))


@pytest.mark.parametrize("nodes,expected", [
    # found by the properties: an edge node that is only white space goes, and the next one is
    # trimmed in its turn
    (["em:0 ", " "], ["em:0"]),
    # a no-break space is text (a page indents with it) unless it is all there is (a spacer)
    (["\u00a0x\u00a0 ", " "], ["\u00a0x\u00a0"]),
    (["\u00a0", "em:\u3000"], []),
    (["em: ", " 0"], ["0"]),
    (["\n", " a ", "br", "br"], ["a"]),
    (["a", "br", "br", "b"], ["a", "br", "b"]),
    (["x ", "em: y", " z"], ["x ", "em:y", " z"]),
])
def test_inline_runs_have_one_normal_form(nodes, expected):
    from artconv.model import Emphasis, LineBreak, Text, normalize_inlines

    def build(spec):
        if spec == "br":
            return LineBreak()
        if spec.startswith("em:"):
            return Emphasis((Text(spec[3:]),))
        return Text(spec)

    def show(node):
        if isinstance(node, LineBreak):
            return "br"
        if isinstance(node, Emphasis):
            return "em:" + node.children[0].text
        return node.text

    assert [show(n) for n in normalize_inlines([build(s) for s in nodes])] == expected


def test_the_fast_pretty_printer_writes_what_json_dumps_writes():
    """writers/json.py builds the indented document itself (the standard library's indented
    encoder is pure Python): the bytes must be json.dumps's, for any JSON value."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from artconv.writers.json import pretty

    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=30)

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(values)
    def check(value):
        assert pretty(value) == json.dumps(value, ensure_ascii=False, indent=2)

    check()
