"""Rules as data: the schema language that validates rules/*.yaml, the reader, and phrase patterns.

Stages read their files through the settings object (extractor.settings: `current().rules(name, schema)`),
which caches them; a wrong file raises RulesError naming the file and the key.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

PACKAGE_RULES = Path(__file__).resolve().parent.parent / "rules"  # a checkout: rules/ beside the package
WHEEL_RULES = Path(__file__).resolve().parent / "rules"  # an installed wheel: rules/ shipped inside the package


class RulesError(ValueError):
    """A rules file is missing or does not match its schema."""


def packaged_rules_dir() -> Path:
    """The copy an installed wheel ships inside the package, else rules/ of a checkout (editable install).

    The wheel's copy comes first: beside an installed package, `../rules` is site-packages/rules, which may
    belong to another distribution."""
    if WHEEL_RULES.is_dir():
        return WHEEL_RULES
    return PACKAGE_RULES


# A schema is a dict key -> spec; spec is one of:
#   str, "regex", [str], ["regex"], {str: spec} (a mapping of free keys to spec), or a nested dict of fixed keys
# written as {"__fixed__": True, key: spec, ...}. Optional keys are prefixed with "?".
Schema = dict[str, Any]


def _check(value: Any, spec: Any, where: str) -> None:
    if spec == "str":
        if not isinstance(value, str):
            raise RulesError(f"{where}: expected a string, got {type(value).__name__}")
    elif spec == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise RulesError(f"{where}: expected a whole number, got {value!r}")
    elif spec == "bool":
        if not isinstance(value, bool):
            raise RulesError(f"{where}: expected true/false, got {value!r}")
    elif spec == "regex":
        if not isinstance(value, str):
            raise RulesError(f"{where}: expected a regular expression string, got {type(value).__name__}")
        try:
            re.compile(value)
        except re.error as exc:
            raise RulesError(f"{where}: invalid regular expression {value!r}: {exc}") from None
    elif spec == "any":
        return
    elif isinstance(spec, list):
        if not isinstance(value, list):
            raise RulesError(f"{where}: expected a list, got {type(value).__name__}")
        for i, item in enumerate(value):
            _check(item, spec[0], f"{where}[{i}]")
    elif isinstance(spec, dict) and spec.get("__fixed__"):
        if not isinstance(value, dict):
            raise RulesError(f"{where}: expected a mapping, got {type(value).__name__}")
        known = {k.lstrip("?") for k in spec if k != "__fixed__"}
        for key in value:
            if key not in known:
                raise RulesError(f"{where}.{key}: unknown key (expected one of {', '.join(sorted(known))})")
        for key, sub in spec.items():
            if key == "__fixed__":
                continue
            name = key.lstrip("?")
            if name not in value:
                if key.startswith("?"):
                    continue
                raise RulesError(f"{where}.{name}: missing")
            _check(value[name], sub, f"{where}.{name}")
    elif isinstance(spec, dict):  # free mapping: {"*": spec}
        if not isinstance(value, dict):
            raise RulesError(f"{where}: expected a mapping, got {type(value).__name__}")
        for key, item in value.items():
            _check(item, spec["*"], f"{where}.{key}")
    else:  # pragma: no cover - a schema bug, not a rules bug
        raise TypeError(f"bad schema spec {spec!r}")


def validate(data: Any, schema: Schema, filename: str) -> None:
    _check(data, {"__fixed__": True, **schema}, filename)


def read(path: Path, name: str, schema: Schema) -> dict:
    """A rules file, parsed and validated against `schema` (see _check for the spec language)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"{path}: cannot read rules file: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"{path}: not valid YAML: {exc}") from None
    validate(data, schema, f"rules/{name}.yaml")
    return data


# --------------------------------------------------------------------------- patterns from word lists

_GAP = r"[\s\-\u2013\u2014]+"


def phrase_pattern(phrases: Iterable[str], gap: str = _GAP) -> str:
    """One regex alternation for a list of vocabulary phrases, longest first so "not yet started" beats
    "started". Between the words of a phrase any run of spaces/dashes matches ("on going" == "on-going";
    `gap` widens that). A phrase must not sit inside a longer word; edges are checked only where the
    phrase itself begins/ends with a letter or digit, so "-" or "&" still work."""
    words, others = [], []  # phrases that begin with a letter or digit, and the others
    for phrase in sorted({p.strip().lower() for p in phrases if p and p.strip()}, key=len, reverse=True):
        body = gap.join(re.escape(w) for w in _words_of(phrase))
        tail = r"(?![A-Za-z0-9])" if phrase[-1].isalnum() else ""
        (words if phrase[0].isalnum() else others).append(body + tail)
    # One look-behind in front of all the phrases that begin with a letter or digit, not one per phrase (the same
    # matches: no text position can start both kinds; ten times faster on long texts)
    parts = ([r"(?<![A-Za-z0-9])(?:" + "|".join(words) + ")"] if words else []) + others
    return "(?:" + "|".join(parts) + ")" if parts else r"(?!x)x"  # empty list: a pattern matching nothing


def _words_of(phrase: str) -> list[str]:
    """The literal pieces of a (lower-case, stripped) phrase that phrase_pattern joins with gaps."""
    return [w for w in re.split(_GAP, phrase) if w] or [phrase]


def phrase_literals(phrases: Iterable[str]) -> list[str]:
    """For each phrase, one literal that every match of phrase_pattern(phrases) for it contains (its first
    word): what a pre-filter may look for before running the full pattern."""
    return sorted({_words_of(p.strip().lower())[0] for p in phrases if p and p.strip()})
