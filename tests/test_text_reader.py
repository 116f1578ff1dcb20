"""The text-dump reader: the seed article against its truth file, one fixture per rule of
the dump format, every encoding and line ending."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import artconv
from artconv.errors import DecodeError
from artconv.model import Heading, Image, ListBlock, Paragraph, Related, plain_text

from .conftest import FIXTURES, plain, run_cli, validate_json

TEXT = FIXTURES / "text"
FIXTURE_NAMES = sorted(p.stem for p in TEXT.glob("*.txt"))
EXTRA = {"extra-phrase": ["--related-heading", "Тоже интересно"]}


def norm(text: str | None) -> str | None:
    """Whitespace runs (a no-break space included) compare as one space, as the scorer does."""
    return re.sub(r"\s+", " ", text or "").strip() or None


def project(doc: dict) -> dict:
    """What a careful reader sees: the fields of a truth file, from artconv's JSON."""
    meta = doc["meta"]
    body, related, captions = [], [], {}
    for block in doc["blocks"]:
        kind = block["type"]
        if kind == "image":
            body.append(["image", block["src"]])
            if block["caption"]:
                captions[block["src"]] = norm(plain(block["caption"]))
        elif kind == "related":
            related.append({
                "heading": block["heading"],
                "items": [{"title": norm(i["title"]), "summary": norm(i["summary"]),
                           "image": i["image"], "url": i["url"]} for i in block["items"]],
            })
        elif kind == "list":
            body.append(["list", [norm(" ".join(plain(b.get("children")) for b in item))
                                  for item in block["items"]]])
        else:
            body.append([kind, norm(plain(block.get("children")))])
    return {"title": meta["title"], "subtitle": meta["subtitle"], "section": meta["section"],
            "lang": meta["lang"], "body": body, "related": related, "captions": captions}


def test_seed_matches_its_truth_file(tmp_path):
    truth = json.loads((TEXT / "seed.truth.json").read_text(encoding="utf-8"))
    seed = tmp_path / "seed.txt"
    seed.write_bytes((TEXT / "seed.txt").read_bytes())
    for name in re.findall(r"^[0-9a-f]{40}\.(?:jpeg|png)$", seed.read_text(encoding="utf-8"),
                           re.M):
        (tmp_path / name).write_bytes(b"\xff\xd8\xff\xe0" + bytes(60))  # its pictures beside it
    run = run_cli("convert", seed, "--to", "json")
    assert run.exit_code == 0, run.stderr
    assert run.stderr == ""  # a dump by the rules, its pictures there: nothing to say
    got = project(run.json())
    for key in ("title", "subtitle", "section", "lang"):
        assert got[key] == truth[key], key
    assert got["body"] == [[kind, value if kind == "image" else norm(value)]
                           for kind, value in truth["body"]]
    assert len(got["related"]) == len(truth["related"])
    for want, have in zip(truth["related"], got["related"], strict=True):
        assert have["heading"] == want["heading"]
        assert have["items"] == [{"title": norm(i["title"]), "summary": norm(i["summary"]),
                                  "image": i["image"], "url": i["url"]} for i in want["items"]]


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_matches_golden(name: str, golden):
    run = run_cli("convert", TEXT / f"{name}.txt", "--to", "json", *EXTRA.get(name, []))
    assert run.exit_code == 0, run.stderr
    validate_json(json.loads(run.stdout))
    golden(TEXT / f"{name}.json", run.stdout)


def read_fixture(name: str, **options) -> artconv.Article:
    return artconv.read(TEXT / f"{name}.txt", **options)


# ---------------------------------------------------------------------------------------------
# One test per rule, independent of the goldens


def test_title_is_first_non_blank_line():
    article = artconv.read(b"\n\n   \nFirst line\n\nSecond block.\n", from_="text")
    assert article.meta.title == "First line"


def test_subtitle_from_text_before_the_lead_image():
    meta = read_fixture("seed").meta
    assert meta.subtitle == "Обучением займется Институт развития интернета"
    # ... even when it ends in a full stop
    article = read_fixture("subtitle-before-image-sentence")
    assert article.meta.subtitle == "Находку сделали у берегов острова Русский."
    assert isinstance(article.blocks[0], Image)


def test_subtitle_without_image_is_one_short_line_without_final_stop():
    assert read_fixture("subtitle-no-image").meta.subtitle == \
        "Синоптики обещают потепление к выходным"
    sentence = read_fixture("no-subtitle-sentence")
    assert sentence.meta.subtitle is None
    assert plain_text(sentence.blocks[0].children).startswith("Туроператоры")


def test_no_subtitle_when_the_image_comes_first():
    article = read_fixture("no-subtitle-image-first")
    assert article.meta.subtitle is None
    assert article.blocks[0] == Image("4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4.jpg")


def test_image_placeholders_kept_exactly_and_captions_follow_them():
    blocks = read_fixture("captions").blocks
    images = [b for b in blocks if isinstance(b, Image)]
    assert [i.src for i in images] == [
        "park-main.jpg", "https://cdn.example.com/news/2021/park-plan.PNG"]
    assert plain_text(images[0].caption) == "Фото: пресс-служба администрации"
    assert plain_text(images[1].caption) == "Схема парка после реконструкции Источник: мэрия"


def test_file_name_inside_a_sentence_is_text():
    blocks = read_fixture("image-in-sentence").blocks
    assert isinstance(blocks[0], Paragraph)
    assert "photo.jpg" in plain_text(blocks[0].children)
    assert blocks[1] == Image("diagram.svg")


def test_lists_and_single_dash_lines():
    blocks = read_fixture("lists").blocks
    lists = [b for b in blocks if isinstance(b, ListBlock)]
    assert [(lst.ordered, len(lst.items)) for lst in lists] == [(False, 3), (True, 3), (False, 4)]
    assert plain_text(lists[1].items[2][0].children) == "Предупредить близких о маршруте."
    assert [plain_text(i[0].children) for i in lists[2].items] == \
        ["спички", "аптечка", "нож", "верёвка"]
    last = blocks[-1]
    assert isinstance(last, Paragraph)
    assert plain_text(last.children).startswith("- Одна строка")


def test_list_under_its_introducing_line_without_a_blank_line():
    dump = ("Title\n\nFirst paragraph of the body.\n\n"
            "Среди экспонатов:\n• троллейбус;\n• трамвай.\n\n"
            "Он сказал так:\n— Мы собирали пять лет, — рассказал директор.\n"
            "— А дальше? — спросили мы.\n")
    log = artconv.Log()
    blocks = artconv.read(dump.encode(), from_="text", log=log).blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Paragraph", "ListBlock",
                                                  "Paragraph"]
    assert plain_text(blocks[1].children) == "Среди экспонатов:"
    assert [plain_text(i[0].children) for i in blocks[2].items] == ["троллейбус;", "трамвай."]
    assert plain_text(blocks[3].children).startswith("Он сказал так: — Мы собирали")
    assert [w.code for w in log.warnings] == ["list-intro"]


def test_indented_marker_lines_are_a_nested_list_and_write_back_the_same():
    from artconv.api import read, write

    dump = ("Title\n\n"
            "1. Собрать рюкзак\n   • спички\n   • нож\n     с чехлом\n"
            "2. Выйти рано\n")
    doc = read(dump.encode(), from_="txt")
    (lst,) = doc.blocks
    assert lst.ordered and lst.start == 1 and len(lst.items) == 2
    head, nested = lst.items[0]
    assert plain_text(head.children) == "Собрать рюкзак"
    assert isinstance(nested, ListBlock) and not nested.ordered
    assert [plain_text(i[0].children) for i in nested.items] == ["спички", "нож с чехлом"]
    assert write(doc, "txt").decode() == dump.replace("нож\n     с", "нож с")


def test_direct_speech_is_not_a_list():
    blocks = read_fixture("dialogue").blocks
    assert not any(isinstance(b, ListBlock) for b in blocks)
    texts = [plain_text(b.children) for b in blocks]
    assert "— Давно ждёте? — спросил он, помолчав." in texts
    assert "— С семи утра, — вздохнула она." in texts


def test_headings_are_short_lines_followed_by_a_paragraph():
    blocks = read_fixture("headings").blocks
    headings = [plain_text(b.children) for b in blocks if isinstance(b, Heading)]
    assert headings == ["Городские велосипеды", "Горные велосипеды"]
    assert all(b.level == 2 for b in blocks if isinstance(b, Heading))
    texts = [plain_text(b.children) for b in blocks if isinstance(b, Paragraph)]
    assert "Итог: что купить?" in texts  # ends in "?"
    assert texts[-1] == "Удачи на дорогах"  # no paragraph after it


def test_soft_wrapped_lines_join_and_spaces_collapse_but_nbsp_stays():
    blocks = read_fixture("soft-wrap").blocks
    first = plain_text(blocks[0].children)
    assert "Такие строки нужно склеивать через один пробел, а лишние пробелы и табуляции " \
           "схлопывать в один." in first
    assert plain_text(blocks[1].children) == "Неразрывный пробел остаётся текстом: " \
                                             "10\u00a0000\u00a0рублей."


def test_related_section_with_images_titles_and_summaries():
    article = read_fixture("seed")
    related = article.blocks[-1]
    assert isinstance(related, Related)
    assert related.heading == 'Другие материалы рубрики "Общество"'
    assert article.meta.section == "Общество"
    assert [i.image for i in related.items] == [
        "679c739d8342cc8894f039ba9bce9de3c9f3f239.jpeg",
        "63a5a8187681a138eb0980805a5f5e3f73b87f2d.jpeg",
        "422362f2f131c0e485931211fa37a955d44fda0c.png",
    ]
    assert related.items[1].title == \
        "На ремонт дороги по Нефтеветке во Владивостоке выделено 350 млн рублей"
    assert related.items[1].summary == "Завершить работы должны к 1 сентября."


def test_related_section_without_images_one_item_per_block():
    related = read_fixture("related-no-images").blocks[-1]
    assert [(i.title, i.url, i.summary) for i in related.items] == [
        ("Курс доллара на следующей неделе", "https://example.ru/economy/kurs-dollara.html",
         "Аналитики ждут стабильности."),
        ("Ставка ЦБ: что дальше", "https://example.ru/economy/stavka.html", None),
        ("Нефть дешевеет третий день", None, None),
    ]


def test_inline_read_also_line():
    related = read_fixture("related-inline").blocks[-1]
    assert related.heading == "Читайте также"
    assert [i.title for i in related.items] == ["Где поесть в центре города недорого"]


def test_two_related_sections_and_guillemet_section_name():
    article = read_fixture("related-two-sections")
    sections = [b for b in article.blocks if isinstance(b, Related)]
    assert [s.heading for s in sections] == ["Материалы по теме",
                                             "Другие материалы рубрики «Культура»"]
    assert article.meta.section == "Культура"


def test_english_dump_with_quoted_section_and_url_images():
    article = read_fixture("english")
    assert article.meta.lang == "en"
    assert article.meta.section == "Transport"
    assert article.blocks[-1].items[0].image == "https://news.example.com/img/bus.jpg"
    assert isinstance(article.blocks[2], Heading)


@pytest.mark.parametrize(("heading", "section"), [
    ('Read more from "Transport"', "Transport"),
    ("Читайте также в рубрике «Наука»", "Наука"),
    ("More from “Tech”:", "Tech"),
    ("Related stories", None),
])
def test_section_name_after_connecting_words(heading, section):
    dump = f"Title\n\nA body paragraph that ends.\n\n{heading}\n\nFirst\n\nSecond\n"
    article = artconv.read(dump.encode(), from_="text")
    assert article.meta.section == section
    assert article.blocks[-1].heading == heading
    assert [item.title for item in article.blocks[-1].items] == ["First", "Second"]


def test_related_phrase_list_is_extendable():
    without = read_fixture("extra-phrase")
    assert not any(isinstance(b, Related) for b in without.blocks)
    extended = read_fixture("extra-phrase", related_headings=["Тоже интересно"])
    assert isinstance(extended.blocks[-1], Related)
    assert extended.blocks[-1].items[0].title == "Фоторепортаж с открытия"


def test_every_reader_knows_the_same_related_phrases():
    """One phrase list for dumps, pages and Markdown: "Смотрите также" starts a related block
    in each of them."""
    dump = ("Заголовок\n\nТекст статьи, довольно длинный абзац.\n\nСмотрите также\n\n"
            "Другая статья\nhttps://example.com/a\n")
    page = ("<html><body><article><h1>Заголовок</h1><p>Текст статьи, довольно длинный абзац, "
            "в котором достаточно слов, чтобы быть статьёй, и даже больше того.</p>"
            "<h3>Смотрите также</h3><ul><li><a href='https://example.com/a'>Другая статья о "
            "важном</a></li><li><a href='https://example.com/b'>Ещё одна статья о важном</a>"
            "</li></ul></article></body></html>")
    markdown = ("# Заголовок\n\nТекст статьи.\n\n## Смотрите также\n\n"
                "- [Другая статья](https://example.com/a)\n")
    for data, fmt in ((dump, "text"), (page, "html"), (markdown, "markdown")):
        article = artconv.read(data.encode(), from_=fmt)
        related = [b for b in article.blocks if isinstance(b, Related)]
        assert related and related[0].heading == "Смотрите также", fmt


def test_a_sentence_starting_with_a_phrase_is_prose():
    text = ("Title\n\nFirst paragraph here.\n\nRead more about the plan in our report, which "
            "was published on Monday and covers every district of the city in detail.\n")
    article = artconv.read(text.encode(), from_="text")
    assert not any(isinstance(b, Related) for b in article.blocks)


def test_lang_detection_and_override():
    assert read_fixture("seed").meta.lang == "ru"
    assert read_fixture("english").meta.lang == "en"
    assert read_fixture("english", lang="en-GB").meta.lang == "en-GB"
    ukrainian = artconv.read("Новини\n\nУкраїна і світ: що відбувається сьогодні.\n".encode(),
                             from_="text")
    assert ukrainian.meta.lang == "uk"


def test_empty_dump_is_an_error():
    with pytest.raises(artconv.InputError, match="empty"):
        artconv.read(b"  \n\n\t\n", from_="text")


# ---------------------------------------------------------------------------------------------
# Bytes: encodings and line endings


SEED_TEXT = (TEXT / "seed.txt").read_text(encoding="utf-8")
SEED_ARTICLE = artconv.read(TEXT / "seed.txt")


def _legacy(codec: str) -> bytes:
    # KOI8-R lacks the seed's dashes and guillemets: they become "?"
    return SEED_TEXT.encode(codec, errors="replace")


@pytest.mark.parametrize("codec", ["cp1251", "koi8_r"])
def test_cyrillic_code_pages_detected_without_being_told(codec: str):
    article = artconv.read(_legacy(codec), from_="text")
    expected = artconv.read(_legacy(codec).decode(codec).encode(), from_="text")
    assert article == expected
    assert article.meta.title == SEED_ARTICLE.meta.title


@pytest.mark.parametrize("codec,bom", [
    ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
])
def test_byte_order_marks(codec: str, bom: bytes):
    data = bom + SEED_TEXT.encode(codec)
    assert artconv.read(data, from_="text") == SEED_ARTICLE


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings(newline: str):
    data = SEED_TEXT.replace("\n", newline).encode()
    assert artconv.read(data, from_="text") == SEED_ARTICLE


def test_last_line_without_newline():
    assert artconv.read(SEED_TEXT.rstrip("\n").encode(), from_="text") == SEED_ARTICLE


def test_encoding_option_overrides_detection():
    data = _legacy("cp1251")
    forced = artconv.read(data, from_="text", encoding="koi8-r")
    assert forced.meta.title != SEED_ARTICLE.meta.title  # the user asked for it
    run = run_cli("convert", "-", "--from", "text", "--to", "json", "--encoding", "utf-8",
                  input=data)
    assert run.exit_code == 1
    assert run.stdout == b""
    assert re.fullmatch(r"artconv: -: invalid UTF-8 at byte \d+ \(0x[0-9A-F]{2}\); .*\n",
                        run.stderr)


@pytest.mark.parametrize("text", ["Привет, мир", "Да", "Ёж и Уж", "Новости дня"])
@pytest.mark.parametrize("codec", ["cp1251", "koi8_r"])
def test_short_cyrillic_never_misdecoded(text: str, codec: str):
    try:
        article = artconv.read(f"{text}\n".encode(codec), from_="text")
    except DecodeError as exc:
        assert "--encoding" in str(exc)
    else:
        assert article.meta.title == text


def test_invalid_utf8_names_the_byte_offset_and_replace_goes_on(tmp_path: Path):
    data = "Заголовок\n\nТекст с ошибкой: ".encode() + b"\xff\xfe" + " и дальше.\n".encode()
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    run = run_cli("convert", path, "-t", "json")
    offset = data.index(b"\xff")
    assert run.exit_code == 1
    assert f"invalid UTF-8 at byte {offset} (0xFF)" in run.stderr
    replaced = run_cli("convert", path, "-t", "json", "--encoding-errors", "replace")
    assert replaced.exit_code == 0
    assert "\ufffd" in replaced.text and "и дальше." in replaced.text
    assert "warning: replaced" in replaced.stderr
