from taiyaku import Glossary, Term, TranslationMemory, Unit


def test_unit_is_stored_once(db):
    tm = TranslationMemory(db)
    first = tm.add_many([Unit("国際戦略局", "Global Strategy Bureau")])
    again = tm.add_many([Unit("国際戦略局", "Global Strategy Bureau")])
    assert (first.added, first.skipped) == (1, 0)
    assert (again.added, again.skipped) == (0, 1)
    assert tm.count() == 1


def test_lookup_finds_prefix(db):
    Glossary(db).add(Term("国際戦略局", "Global Strategy Bureau"))
    hits = Glossary(db).lookup("国際戦略")
    assert [(h.term.en, h.kind) for h in hits] == [("Global Strategy Bureau", "prefix")]
