"""A large TMX is parsed in a second process: the same units, warnings and errors as in one."""

import os

import pytest

from taiyaku import FormatError, TranslationMemory, Unit, open_db, read_units, write_units
from taiyaku.formats import background
from taiyaku.formats.tmx import read_tmx_lines

pytestmark = pytest.mark.skipif(
    "fork" not in background.multiprocessing.get_all_start_methods() or os.cpu_count() == 1,
    reason="the second process needs fork and two cores",
)


def _tmx(path, n: int, *, tail: str = "</body></tmx>") -> None:
    """A TMX of ``n`` units, a single-language <tu> after every 700th, ending with ``tail``."""
    tus = []
    for i in range(n):
        tus.append(
            f'<tu tuid="{i}"><prop type="x-document">d{i % 7}</prop>'
            f'<tuv xml:lang="ja"><seg>文{i}を<ph x="1">&lt;br/&gt;</ph>読む</seg></tuv>'
            f'<tuv xml:lang="en-US"><note>n{i}</note><seg>Read {i}</seg></tuv></tu>\n'
        )
        if i % 700 == 699:
            tus.append(f'<tu tuid="only{i}"><tuv xml:lang="ja"><seg>一</seg></tuv></tu>\n')
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="ja"/>'
        "<body>\n" + "".join(tus) + tail,
        encoding="utf-8",
    )


@pytest.fixture
def in_child(monkeypatch):
    """Every TMX is read in a second process, and that is checked."""
    calls = []
    real = background.read_in_child

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(background, "PROCESS_ABOVE", 0)
    monkeypatch.setattr("taiyaku.formats.tmx.read_in_child", counted)
    return calls


def test_units_lines_and_warnings_are_those_of_one_process(tmp_path, monkeypatch, in_child):
    path = tmp_path / "big.tmx"
    _tmx(path, 2500)
    warned: list[str] = []
    got = list(read_tmx_lines(path, warn=warned.append))
    assert in_child
    monkeypatch.setattr(background, "PROCESS_ABOVE", 1 << 60)
    warned_alone: list[str] = []
    alone = list(read_tmx_lines(path, warn=warned_alone.append))
    assert len(in_child) == 1  # the second read stayed in this process
    assert got == alone and len(got) == 2500
    assert got[0][1].source_markup is not None and got[0][1].annotations
    assert warned == warned_alone and len(warned) == 3 and "only699" in warned[0]


def test_a_broken_file_read_in_a_child_raises_its_error_here(new_db_target, tmp_path, in_child):
    path = tmp_path / "cut.tmx"
    _tmx(path, 3000, tail='<tu><tuv xml:lang="ja"><seg>切')
    with pytest.raises(FormatError) as caught:
        list(read_units(path))
    assert in_child
    assert str(caught.value).startswith(f"{path}: line ") and "invalid XML" in str(caught.value)
    db = open_db(new_db_target("tm"))
    with pytest.raises(FormatError):
        TranslationMemory(db).add_many(read_units(path))
    assert TranslationMemory(db).count() == 0  # all or nothing, across the two processes


def test_a_reader_stopped_early_ends_its_child(tmp_path, in_child):
    path = tmp_path / "big.tmx"
    write_units(path, [Unit(f"文{i}", f"text {i}") for i in range(5000)])
    units = read_units(path)
    assert next(iter(units)).source_text == "文0"
    units.close()  # the child is killed and reaped, not left running
    assert in_child and not background.multiprocessing.active_children()


def test_import_in_a_child_stores_what_one_process_stores(new_db_target, tmp_path, monkeypatch):
    path = tmp_path / "odd.tmx"
    _tmx(path, 2500)
    extra = (
        '<tu><tuv xml:lang="ja"><seg></seg></tuv><tuv xml:lang="en"><seg>empty</seg></tuv></tu>\n'
        '<tu><tuv xml:lang="ja"><seg>文5を<ph x="1">&lt;br/&gt;</ph>読む</seg></tuv>'
        '<tuv xml:lang="en-US"><note>n5</note><seg>Read 5</seg></tuv></tu>\n'
    )
    text = path.read_text(encoding="utf-8").replace("</body>", extra + "</body>")
    path.write_text(text, encoding="utf-8")

    def read(warn):
        warn(f"read in process {os.getpid()}")
        return read_units(path, warn=warn)

    monkeypatch.setattr("taiyaku.store.tm._BATCH", 700)
    results, warnings, dbs = [], [], []
    for in_child in (True, False):
        db = open_db(new_db_target(f"child-{in_child}"))
        warned: list[str] = []
        memory = TranslationMemory(db)
        results.append(memory.import_units(read, warned.append, background=in_child))
        warnings.append(warned)
        dbs.append(db)
    assert warnings[0][0] != f"read in process {os.getpid()}" == warnings[1][0]
    assert warnings[0][1:] == warnings[1][1:] and len(warnings[0]) == 4
    assert results[0] == results[1] and results[0].added == 2501 and results[0].skipped == 1
    columns = "id, source_text, target_text, source_key, target_key, pair_hash, annotations"
    for table, sql in (
        ("units", f"SELECT {columns} FROM units ORDER BY id"),
        ("postings", "SELECT lang, gram, n, ids FROM match_postings ORDER BY rowid"),
        ("words", "SELECT lang, gram, n, ids FROM match_words ORDER BY rowid"),
    ):
        child, alone = (db.conn.execute(sql).fetchall() for db in dbs)
        assert child == alone and child, table


def test_an_error_raised_by_the_reader_in_a_child_stores_nothing(new_db_target, tmp_path):
    path = tmp_path / "big.tmx"
    write_units(path, [Unit(f"文{i}", f"text {i}") for i in range(3000)])

    def broken(warn):
        for i, unit in enumerate(read_units(path, warn=warn)):
            if i == 2500:
                raise FormatError(path, "a unit in ko → en, not Japanese and English")
            yield unit

    db = open_db(new_db_target("tm"))
    with pytest.raises(FormatError, match="ko → en"):
        TranslationMemory(db).import_units(broken, background=True)
    assert TranslationMemory(db).count() == 0
    assert not db.conn.execute("SELECT count(*) FROM match_postings").fetchone()[0]
