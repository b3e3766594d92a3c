"""Validation of TBX files against the shipped schemas: TBX core RNG, TBX-Basic DCA Schematron.

The Schematron uses XPath 2.0 (``queryBinding="xslt2"``), which lxml's ISO Schematron cannot
run; :func:`schematron_errors` evaluates it with elementpath: each pattern's rules in order,
a node checked by the first rule whose context matches it, as ISO Schematron specifies.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCH = "{http://purl.oclc.org/dsdl/schematron}"


def rng_errors(path) -> list[str]:
    """The TBXcoreStructV03.rng errors of ``path`` (empty when valid)."""
    schema = etree.RelaxNG(etree.parse(str(FIXTURES / "TBXcoreStructV03.rng")))
    if schema.validate(etree.parse(str(path))):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def schematron_errors(path) -> list[str]:
    """The failed TBX-Basic DCA Schematron assertions of ``path`` (empty when valid)."""
    import elementpath

    schema = etree.parse(str(FIXTURES / "TBX-Basic_DCA.sch")).getroot()
    namespaces = {ns.get("prefix"): ns.get("uri") for ns in schema.iter(f"{SCH}ns")}
    document = etree.parse(str(path))

    parser = elementpath.XPath2Parser(namespaces=namespaces)
    tree = elementpath.XPathContext(document).root  # the node tree, built once

    def select(expression: str) -> list:
        context = elementpath.XPathContext(tree)
        return list(parser.parse(expression).select_results(context))

    errors = []
    for pattern in schema.iter(f"{SCH}pattern"):
        seen: set = set()  # a node is checked by the first rule of a pattern that matches it
        for rule in pattern.iter(f"{SCH}rule"):
            context = rule.get("context")
            nodes = {id(node) for node in select(f"//{context}")} - seen
            seen |= nodes
            for check in rule.iter(f"{SCH}assert"):
                for node in select(f"//{context}[not({check.get('test')})]"):
                    if id(node) in nodes:
                        line = getattr(node, "sourceline", "?")
                        errors.append(f"line {line}: {' '.join((check.text or '').split())}")
    return errors
