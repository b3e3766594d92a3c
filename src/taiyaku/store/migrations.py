"""The database schema, as append-only migrations.

Every table taiyaku uses is created here and nowhere else. A step, once released, is
never edited: a change is a new ``m00N_...`` function. Steps are schema-only and frozen:
they never call taiyaku's key or index code, whose output changes between versions; keys
and the index are (re)built after the steps when the key signature differs
(:mod:`taiyaku.store.keys`). ``open_db`` applies the pending steps
together in one transaction: a failure leaves the file as it was.

The steps are applied by sqlite-utils' ``Migrations``, which records each in its
``_sqlite_migrations`` table; :class:`Steps` lists them and reads that table with plain SQL,
so that a command that only reads (``open_db(write=False)``) need not import sqlite-utils
(0.16 s of a start-up on a slow core).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATIONS_TABLE = "_sqlite_migrations"
"""Where sqlite-utils' ``Migrations`` records the steps applied (one row per step)."""

Step = Callable[["Database"], None]


class Registered(NamedTuple):
    """A schema step: its name and function."""

    name: str
    fn: Step


class Applied(NamedTuple):
    """A step recorded as applied, and when (UTC, as sqlite-utils writes it)."""

    name: str
    applied_at: str


class Steps:
    """The schema steps in order (``@migrations()`` registers one), read and applied with
    the table and rules of sqlite-utils' ``Migrations``, imported only to apply them."""

    def __init__(self, name: str):
        self.name = name
        self._migrations: list[Registered] = []

    def __call__(self) -> Callable[[Step], Step]:
        def register(fn: Step) -> Step:
            if any(step.name == fn.__name__ for step in self._migrations):
                raise ValueError(f"schema step {fn.__name__} is registered twice")
            self._migrations.append(Registered(fn.__name__, fn))
            return fn

        return register

    @property
    def names(self) -> list[str]:
        """Every step's name, in the order they are applied."""
        return [step.name for step in self._migrations]

    def applied(self, db: Any) -> list[Applied]:
        """The steps recorded in ``db`` (an open SQLite database), in the order applied."""
        conn = db.conn
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
        ).fetchone()
        if exists is None:
            return []
        rows = conn.execute(
            f"SELECT name, applied_at FROM {MIGRATIONS_TABLE} WHERE migration_set = ? "
            "ORDER BY rowid",
            [self.name],
        )
        return [Applied(name, applied_at) for name, applied_at in rows]

    def pending(self, db: Any) -> list[Registered]:
        """The steps ``db`` has not had yet, in order (reads only)."""
        done = {step.name for step in self.applied(db)}
        return [step for step in self._migrations if step.name not in done]

    def apply(self, db: Database, *, stop_before: str | Iterable[str] | None = None) -> None:
        """Apply the pending steps to ``db`` (a sqlite-utils ``Database``), each with its
        record in one transaction, by sqlite-utils' ``Migrations``."""
        from sqlite_utils.migrations import Migrations

        runner = Migrations(self.name)
        for step in self._migrations:
            runner(name=step.name)(step.fn)
        runner.apply(db, stop_before=stop_before)


migrations = Steps("taiyaku")


@migrations()
def m001_create_units(db: Database) -> None:
    """Translation units: verbatim text, match keys, provenance."""
    db.execute(
        """
        CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source_text TEXT NOT NULL,
            target_text TEXT NOT NULL,
            source_key TEXT NOT NULL,
            target_key TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'imported',
            document TEXT,
            position INTEGER,
            confidence REAL,
            bead TEXT,
            created TEXT NOT NULL,
            changed TEXT NOT NULL,
            metadata TEXT NOT NULL DEFAULT '{}'
        )
        """
    )
    # The same pair is stored once: re-importing a file adds nothing.
    db.execute(
        "CREATE UNIQUE INDEX units_pair ON units "
        "(source_lang, target_lang, source_text, target_text)"
    )
    db.execute("CREATE INDEX units_source_key ON units (source_key)")
    db.execute("CREATE INDEX units_target_key ON units (target_key)")
    db.execute("CREATE INDEX units_document ON units (document, position)")


@migrations()
def m002_create_terms(db: Database) -> None:
    """Glossary entries: one row per Japanese/English pair."""
    db.execute(
        """
        CREATE TABLE terms (
            id INTEGER PRIMARY KEY,
            ja TEXT NOT NULL,
            en TEXT NOT NULL,
            ja_key TEXT NOT NULL,
            en_key TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            domain TEXT NOT NULL DEFAULT '',
            pos TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'preferred'
                CHECK (status IN ('preferred', 'admitted', 'deprecated', 'forbidden')),
            source TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            changed TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE UNIQUE INDEX terms_pair ON terms (ja, en)")
    db.execute("CREATE INDEX terms_ja_key ON terms (ja_key)")
    db.execute("CREATE INDEX terms_en_key ON terms (en_key)")


@migrations()
def m003_create_meta(db: Database) -> None:
    """Key/value facts about the database: what wrote it and with which settings."""
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations()
def m004_create_match_index(db: Database) -> None:
    """The fuzzy-match index: character q-gram postings of every unit's keys, per language.

    ``match_postings`` holds, per source language and gram, one or more chunks of the ids of
    units whose source key has that gram (packed little-endian int32). ``match_sizes`` holds,
    per language and block of 65,536 unit ids, the source key length and distinct-gram count
    of each unit (packed uint16; 0 = the unit's source is not in that language).
    :mod:`taiyaku.store.index_writer` maintains both on every insert and delete; existing
    units are indexed after the migration, by the key signature's rebuild
    (:mod:`taiyaku.store.keys`).
    """
    db.execute(
        """
        CREATE TABLE match_postings (
            lang TEXT NOT NULL,
            gram TEXT NOT NULL,
            n INTEGER NOT NULL,
            ids BLOB NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX match_postings_gram ON match_postings (lang, gram)")
    db.execute(
        """
        CREATE TABLE match_sizes (
            lang TEXT NOT NULL,
            block INTEGER NOT NULL,
            lengths BLOB NOT NULL,
            grams BLOB NOT NULL,
            PRIMARY KEY (lang, block)
        )
        """
    )


@migrations()
def m005_add_term_lookup_keys(db: Database) -> None:
    """Forgiving lookup keys, readings and a version counter for the glossary.

    ``ja_fold``/``en_fold`` are :mod:`taiyaku.text.keys` lookup keys (spelling variants
    folded), ``ja_find``/``en_find`` the keys the recognizer's automaton is built from and
    ``ja_reading`` the folded kana reading. ``meta.glossary_version`` is bumped by triggers on
    every write to ``terms``, so caches (the automaton, the lookup index) know when to rebuild;
    ``meta.glossary_id`` tells two databases apart. Existing terms get their keys after the
    migration, from the key signature's rebuild (:mod:`taiyaku.store.keys`).
    """
    for column in ("ja_fold", "en_fold", "ja_find", "en_find", "ja_reading"):
        db.execute(f"ALTER TABLE terms ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX terms_ja_fold ON terms (ja_fold)")
    db.execute("CREATE INDEX terms_en_fold ON terms (en_fold)")
    db.execute("CREATE INDEX terms_ja_reading ON terms (ja_reading)")
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('glossary_version', '0')")
    db.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('glossary_id', lower(hex(randomblob(8))))"
    )
    for event in ("INSERT", "UPDATE", "DELETE"):
        db.execute(
            f"""
            CREATE TRIGGER terms_version_{event.lower()} AFTER {event} ON terms
            BEGIN
                UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'glossary_version';
            END
            """
        )


@migrations()
def m006_index_targets_for_concordance(db: Database) -> None:
    """Concordance indexes: grams by their tail, and the words of every unit's target.

    ``match_postings_tail`` indexes ``substr(gram, 2)``, so the grams that end with a
    one-character Japanese query (or a two-character English one) are found without a scan.
    ``match_words(lang, gram, n, ids)`` holds, for each word of a target key (a run of ASCII
    letters and digits and of characters above U+007F; ``lang`` is ``'*'``, every target
    whatever its language), chunks of the ids of the units whose target has it, as
    ``match_postings`` does for source grams; ``match_word_sizes`` the target key lengths
    and word counts, as ``match_sizes``; ``match_vocab(lang, words)`` the distinct words,
    newline-terminated, so a query finds the words containing it without scanning the index.
    ``taiyaku.store.index_writer`` maintains them on every insert and delete; existing units are
    indexed after the migration, by the key signature's rebuild (:mod:`taiyaku.store.keys`).
    """
    db.execute("CREATE INDEX match_postings_tail ON match_postings (lang, substr(gram, 2))")
    db.execute(
        """
        CREATE TABLE match_words (
            lang TEXT NOT NULL,
            gram TEXT NOT NULL,
            n INTEGER NOT NULL,
            ids BLOB NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX match_words_gram ON match_words (lang, gram)")
    db.execute(
        """
        CREATE TABLE match_word_sizes (
            lang TEXT NOT NULL,
            block INTEGER NOT NULL,
            lengths BLOB NOT NULL,
            grams BLOB NOT NULL,
            PRIMARY KEY (lang, block)
        )
        """
    )
    db.execute("CREATE TABLE match_vocab (lang TEXT NOT NULL, words TEXT NOT NULL)")


@migrations()
def m007_random_glossary_version(db: Database) -> None:
    """Glossary writes set ``meta.glossary_version`` to a fresh random number.

    A counter could come back to a value it had: a write seen inside a transaction that then
    rolled back, followed by a different write, would reuse the number, and a cache keyed on
    it would serve the abandoned glossary. A random 63-bit value does not repeat.
    """
    for event in ("INSERT", "UPDATE", "DELETE"):
        db.execute(f"DROP TRIGGER IF EXISTS terms_version_{event.lower()}")
        db.execute(
            f"""
            CREATE TRIGGER terms_version_{event.lower()} AFTER {event} ON terms
            BEGIN
                UPDATE meta SET value = abs(random()) WHERE key = 'glossary_version';
            END
            """
        )


@migrations()
def m010_add_term_reading(db: Database) -> None:
    """The reading a source gives for a term (the JLT dictionary's ``Kana``) and its key.

    ``reading`` is kept as given; ``reading_key`` is its folded form
    (:func:`taiyaku.text.romaji.reading_key`), a lookup key beside the computed
    ``ja_reading``: UniDic reads 競売 きょうばい, lawyers and the dictionary けいばい, and
    both find it. Empty for terms whose source gives no reading.
    """
    db.execute("ALTER TABLE terms ADD COLUMN reading TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE terms ADD COLUMN reading_key TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX terms_reading_key ON terms (reading_key)")


@migrations()
def m011_unit_markup(db: Database) -> None:
    """Inline codes: each side's text with its codes, beside the plain text.

    ``source_markup``/``target_markup`` hold :func:`taiyaku.formats.inline.to_json` of the
    unit's markup, ``NULL`` when that side has no codes (its text is then the whole story).
    ``source_text``/``target_text`` stay the plain text that keys, matching and search use.
    """
    db.execute("ALTER TABLE units ADD COLUMN source_markup TEXT")
    db.execute("ALTER TABLE units ADD COLUMN target_markup TEXT")


@migrations()
def m011_unit_annotations(db: Database) -> None:
    """Notes, props and attributes of a unit and its sides; which dates a file left out.

    ``annotations`` holds a JSON list of the unit's :class:`taiyaku.models.Annotation`\\ s
    (``NULL`` when it has none). ``created_absent``/``changed_absent`` are 1 when the file a
    unit was imported from gave no such date: ``created``/``changed`` then hold the import
    time, for ordering only, and export writes no date. Existing units keep their dates.
    """
    db.execute("ALTER TABLE units ADD COLUMN annotations TEXT")
    db.execute("ALTER TABLE units ADD COLUMN created_absent INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE units ADD COLUMN changed_absent INTEGER NOT NULL DEFAULT 0")


@migrations()
def m009_compact_match_index(db: Database) -> None:
    """The fuzzy index in a compact coding, with layered characters; no key indexes.

    Posting chunks are now coded as gaps or bitmaps (``taiyaku.store.postings``) and the
    index adds the layered characters of every source key (``lang`` = ``ja/c``…), so the
    old chunks are dropped; the index is rebuilt after the migration, by the key
    signature's rebuild (``INDEX_VERSION`` 2 is part of it). The postings get covering indexes with
    ``n``, so a query reads a gram's frequency without its ids; the tail index of m006 goes
    (a one-character concordance query reads its character's postings). ``units_source_key`` and
    ``units_target_key`` are dropped: nothing looks a key up by equality (the fuzzy index
    finds identical keys), and together they were a fifth of the file.
    """
    for table in ("match_postings", "match_sizes", "match_words", "match_word_sizes"):
        db.execute(f"DELETE FROM {table}")
    db.execute("DELETE FROM match_vocab")
    db.execute("DROP INDEX match_postings_tail")
    db.execute("DROP INDEX match_postings_gram")
    db.execute("CREATE INDEX match_postings_gram ON match_postings (lang, gram, n)")
    db.execute("DROP INDEX match_words_gram")
    db.execute("CREATE INDEX match_words_gram ON match_words (lang, gram, n)")
    db.execute("DROP INDEX units_source_key")
    db.execute("DROP INDEX units_target_key")


@migrations()
def m016_units_pair_hash(db: Database) -> None:
    """Duplicate pairs found through a 64-bit hash, not a unique index on the whole texts.

    ``units_pair`` held every unit's languages and texts a second time (a quarter of a
    million-unit file) and compared exact language tags, while an import skips a pair
    already stored under the same *primary* languages. ``pair_hash`` (filled by the key
    signature's rebuild, :mod:`taiyaku.store.keys`) is a hash of the primary languages and
    both texts; ``units_pair_hash`` finds the stored units that may be the same pair, whose
    texts are then compared. The stored signature is cleared, so the rebuild runs (and, if
    it is interrupted, runs again on the next writing open) before anything is written.
    """
    db.execute("ALTER TABLE units ADD COLUMN pair_hash INTEGER")
    db.execute("CREATE INDEX units_pair_hash ON units (pair_hash)")
    db.execute("DROP INDEX units_pair")
    db.execute("DELETE FROM meta WHERE key = 'keys_signature'")


@migrations()
def m021_units_derived_values_null(db: Database) -> None:
    """``source_key`` is NULL where the match key is the source text itself, and ``changed``
    is NULL where it is ``created``.

    For Japanese sources (already NFKC, nothing to case-fold) the key is the text in four
    units in five, and an import without dates stamps both times alike: together a tenth of
    a million-unit file. Readers take ``coalesce(source_key, source_text)``
    (``taiyaku.store.tm.SOURCE_KEY``) and ``coalesce(changed, created)``. SQLite cannot drop
    a ``NOT NULL`` in place, so ``units`` is copied into a table without them (the columns
    and indexes as of ``m016``), the repeated values cleared on the way: a plain comparison
    of stored values, so the same answers come back before and after.
    """
    db.execute(
        """
        CREATE TABLE units_m021 (
            id INTEGER PRIMARY KEY,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source_text TEXT NOT NULL,
            target_text TEXT NOT NULL,
            source_key TEXT,
            target_key TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'imported',
            document TEXT,
            position INTEGER,
            confidence REAL,
            bead TEXT,
            created TEXT NOT NULL,
            changed TEXT,
            metadata TEXT NOT NULL DEFAULT '{}',
            source_markup TEXT,
            target_markup TEXT,
            annotations TEXT,
            created_absent INTEGER NOT NULL DEFAULT 0,
            changed_absent INTEGER NOT NULL DEFAULT 0,
            pair_hash INTEGER
        )
        """
    )
    columns = (
        "id, source_lang, target_lang, source_text, target_text, "
        "CASE WHEN source_key = source_text THEN NULL ELSE source_key END, target_key, "
        "origin, document, position, confidence, bead, created, "
        "CASE WHEN changed = created THEN NULL ELSE changed END, metadata, "
        "source_markup, target_markup, annotations, created_absent, changed_absent, pair_hash"
    )
    db.execute(f"INSERT INTO units_m021 SELECT {columns} FROM units ORDER BY id")
    db.execute("DROP TABLE units")
    db.execute("ALTER TABLE units_m021 RENAME TO units")
    db.execute("CREATE INDEX units_document ON units (document, position)")
    db.execute("CREATE INDEX units_pair_hash ON units (pair_hash)")


@migrations()
def m022_match_groups(db: Database) -> None:
    """Near-duplicate groups for the fuzzy search (``taiyaku.store.groups``).

    ``match_groups`` holds, per source language and block of 65,536 unit ids, each unit's
    group: how far below its id its group's leader is (packed uint32, 0 = it leads its own
    group) and its edit distance to the leader (packed uint8, 255 = not known). The layered
    characters of each group, the union over its members, are postings under
    ``lang`` = ``ja/g``…, beside the units' own (``ja/c``…, which the concordance reads).
    The groups and their postings are built by the key signature's rebuild
    (``INDEX_VERSION`` 3 is part of it).
    """
    db.execute(
        """
        CREATE TABLE match_groups (
            lang TEXT NOT NULL,
            block INTEGER NOT NULL,
            leaders BLOB NOT NULL,
            distances BLOB NOT NULL,
            PRIMARY KEY (lang, block)
        )
        """
    )


@migrations()
def m023_match_changes(db: Database) -> None:
    """What each group member changes from its leader (``taiyaku.store.groups``).

    ``match_changes`` holds, per source language and block of 65,536 unit ids, each unit's
    change count (packed uint8: ``0x80 | added << 4 | removed``, 0 = not known) and, unit
    after unit, the layered characters it adds to its leader's key and removes from it
    (packed uint32 tokens, the top bit set for a removed one). A search derives from them
    how many characters each member shares with a query without reading its key. They are
    built by the key signature's rebuild (``INDEX_VERSION`` 5 is part of it; 4 stored
    removed tokens without the top bit).
    """
    db.execute(
        """
        CREATE TABLE match_changes (
            lang TEXT NOT NULL,
            block INTEGER NOT NULL,
            counts BLOB NOT NULL,
            codes BLOB NOT NULL,
            PRIMARY KEY (lang, block)
        )
        """
    )
