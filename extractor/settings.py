"""One settings object for a run: where the rules live (rules/*.yaml, read and validated once, compiled once)
and every tuning constant of the stages, grouped by stage.

    from extractor.settings import Settings, use
    s = Settings.load(rules_dir="my-rules/", tables={"column_tolerance": 8.0})
    extract(["papers/"], settings=s)            # or, around any stage call:  with use(s): ...

Stages ask `current()` for the settings of the call they run in (a context variable: per call, per thread,
carried to worker processes with each job). Compiled vocabularies are cached on the Settings object itself,
so new settings never see a stale cache (`reload()` starts afresh after editing a rules file).
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, TypeVar

from extractor import rules

T = TypeVar("T")
ENV_RULES = "EXTRACTOR_RULES_DIR"  # a folder holding your own copy of rules/
ENV_MODEL = "EXTRACTOR_SPACY_MODEL"  # an installed spaCy pipeline to use instead of blank "en"
RULE_FILES = ("headers", "status", "progress", "dates", "refs", "owners", "objectives", "metadata",
              "versions")


@dataclass(frozen=True)
class TableSettings:
    max_header_rows: int = 3  # leading rows that may form a (multi-level) header
    column_tolerance: float = 6.0  # points: column edges of two segments of one table line up within this
    group_span: float = 0.6  # a group row's single cell spans at least this share of the columns
    borderless_column_gap: float = 1.2  # a gap wider than this many font sizes separates two columns
    borderless_straddle_tol: float = 2.0  # points a word may overhang a column start


@dataclass(frozen=True)
class PdfSettings:
    furniture_band: float = 0.09  # top/bottom fraction of the page where running headers/footers live
    word_gap_em: float = 0.2  # a gap wider than this fraction of the font size starts a new word
    column_gutter_em: float = 0.8  # an empty vertical strip at least this many body font sizes wide ...
    column_min_lines: int = 3  # ... through at least this many lines with text on both sides separates columns
    column_min_width_em: float = 8.0  # each column at least this many body font sizes wide
    column_min_words: float = 3.0  # and its lines this many words (of letters) long on average: text, not a table


@dataclass(frozen=True)
class DocxSettings:
    default_font_size: float = 11.0
    char_width_em: float = 0.45  # average glyph width / font size for proportional body fonts
    line_factor: float = 1.15  # single line spacing / font size
    max_label_chars: int = 40  # a rendered list label is cut here (a tiny numbering.xml can ask for megabytes)


@dataclass(frozen=True)
class OutputSettings:
    max_document_mb: float = 64.0  # text one document may put into the outputs; beyond it rows are dropped (partial)


@dataclass(frozen=True)
class ConvertSettings:
    timeout_s: float = 60.0  # a LibreOffice conversion (.doc/.odt/.rtf -> DOCX) taking longer is killed


@dataclass(frozen=True)
class OcrSettings:
    enabled: bool = False  # --ocr: PDF pages without a text layer are read from their image with Tesseract
    dpi: int = 300  # the page is rendered at this resolution for Tesseract (and for the ruling/colour search)
    language: str = "eng"  # Tesseract language pack(s), e.g. "eng+fra"
    psm: int = 6  # Tesseract page segmentation mode (6: one block of text lines; only word boxes are used)
    page_timeout_s: float = 60.0  # one page's Tesseract run taking longer is killed (the page is then unread)


@dataclass(frozen=True)
class VersionSettings:
    family_similarity: float = 90.0  # title / organisation / stem similarity (0-100) for "the same plan"
    family_shared: float = 0.5  # share of actions carried over that makes two documents one plan's versions
    family_same_action: float = 85.0  # text similarity at which an action counts as carried over
    family_shared_other_org: float = 0.8  # ... and the share that overrides two covers' different organisations
    # agreeing names backed by SOME actions carried over: at least this many near-identical actions, making at
    # least this share of the shorter document (a log whose items mostly turn over between meetings)
    family_name_actions: int = 3
    family_name_shared: float = 0.2
    same_version_actions: float = 0.8  # share of actions two renderings of one version have in common (at least)
    threshold: float = 85.0  # text similarity + bonus needed for a pair (a text this similar needs no support)
    min_text: float = 55.0  # below this text similarity nothing pairs, whatever else agrees
    anchor_text: float = 90.0  # an anchor: mutual best pair at least this similar ...
    anchor_margin: float = 3.0  # ... and this much better than the next candidate in its row and column
    bonus_cap: float = 25.0
    ambiguous_band: float = 5.0  # candidates within this of a row's/column's best make the text ambiguous
    w_ref_section: float = 3.0  # mapped ref prefix equals the new prefix
    w_ref_exact: float = 8.0  # mapped (and offset) ref equals the new ref
    w_order_gap: float = 4.0  # the pair sits between its neighbouring anchors
    w_order_near: float = 3.0  # and near the interpolated position
    w_context: float = 5.0  # goal / section similarity
    w_owner: float = 2.0
    w_date_equal: float = 3.0
    w_date_near: float = 1.0
    w_dup_date: float = 15.0  # repeated text: equal dates +, different dates -
    repeat_context: float = 0.6  # a repeated text pairs only where this share of the goal/section words agree
    leftover_text: float = 70.0  # second pass: text similarity of a reworded action that stayed in place
    same_place_context: float = 0.8  # share of goal/section words that puts two leftovers in one group


def default_rules_dir() -> Path:
    return Path(os.environ[ENV_RULES]) if os.environ.get(ENV_RULES) else rules.packaged_rules_dir()


@dataclass(frozen=True)
class Settings:
    rules_dir: Path = field(default_factory=default_rules_dir)
    spacy_model: str = field(default_factory=lambda: os.environ.get(ENV_MODEL, "").strip())
    tables: TableSettings = field(default_factory=TableSettings)
    pdf: PdfSettings = field(default_factory=PdfSettings)
    docx: DocxSettings = field(default_factory=DocxSettings)
    versions: VersionSettings = field(default_factory=VersionSettings)
    convert: ConvertSettings = field(default_factory=ConvertSettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    output: OutputSettings = field(default_factory=OutputSettings)
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    @classmethod
    def load(cls, rules_dir: Optional[os.PathLike | str] = None, spacy_model: Optional[str] = None,
             **groups: Any) -> "Settings":
        """Settings with overrides (`tables={"column_tolerance": 8}` or a TableSettings), every rules file
        read and validated now: a wrong file fails here, naming file and key, not halfway through a batch."""
        kwargs: dict[str, Any] = {}
        if rules_dir is not None:
            kwargs["rules_dir"] = Path(rules_dir)
        if spacy_model is not None:
            kwargs["spacy_model"] = spacy_model.strip()
        defaults = cls()
        for name, value in groups.items():
            current_group = getattr(defaults, name, None)
            if not dataclasses.is_dataclass(current_group):
                raise TypeError(f"unknown settings group {name!r}")
            kwargs[name] = value if dataclasses.is_dataclass(value) else _replace(current_group, name, value)
        settings = cls(**kwargs)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Read, validate and compile every rules file (RulesError on the first problem)."""
        if not self.rules_dir.is_dir():
            raise rules.RulesError(f"{self.rules_dir}: no such rules folder")
        for compile_all in _VALIDATORS:
            compile_all(self)

    def rules(self, name: str, schema: rules.Schema, check: Optional[Callable[[dict], None]] = None) -> dict:
        """rules/<name>.yaml of this settings' folder, validated against `schema` (and `check`), once."""
        key = ("rules", name)
        if key not in self._cache:
            data = rules.read(self.rules_dir / f"{name}.yaml", name, schema)
            if check is not None:
                check(data)
            self._cache[key] = data
        return self._cache[key]

    def compiled(self, builder: Callable[["Settings"], T]) -> T:
        """builder(self), computed once per settings object (compiled patterns, lookup tables)."""
        key = ("compiled", builder.__module__, builder.__qualname__)
        if key not in self._cache:
            self._cache[key] = builder(self)
        return self._cache[key]

    def fingerprint(self) -> str:
        """Changes whenever a rules file, a tuning constant or the spaCy model changes (cache keys)."""
        h = hashlib.sha256(self.spacy_model.encode())
        for group in (self.tables, self.pdf, self.docx, self.versions, self.ocr, self.output):  # (a conversion
            # time limit changes no result that is cached: a time-out is a failure of the run)
            h.update(repr(group).encode())
        for path in sorted(self.rules_dir.glob("*.yaml")) if self.rules_dir.is_dir() else []:
            h.update(path.name.encode())
            h.update(path.read_bytes())
        return h.hexdigest()[:16]

    def __getstate__(self) -> dict:  # sent to workers without its caches (compiled patterns rebuild there)
        state = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "_cache"}
        return state

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_cache", {})


def _replace(group: Any, name: str, values: dict) -> Any:
    known = {f.name: f for f in dataclasses.fields(group)}
    for key, value in values.items():
        if key not in known:
            raise TypeError(f"unknown setting {name}.{key} (known: {', '.join(known)})")
        default = getattr(group, key)
        expected = (int, float) if isinstance(default, float) else type(default)
        if not isinstance(value, expected) or isinstance(value, bool) != isinstance(default, bool):
            kind = {bool: "true or false", str: "a string"}.get(type(default), "a number")
            raise TypeError(f"setting {name}.{key}: expected {kind}, got {value!r}")
    return dataclasses.replace(group, **values)


# stages register a function that reads and compiles their rules, so validate() checks every file up front
_VALIDATORS: list[Callable[[Settings], Any]] = []


def validator(fn: Callable[[Settings], T]) -> Callable[[Settings], T]:
    """Mark a `builder(settings)` that reads a rules file: Settings.validate() runs it."""
    _VALIDATORS.append(fn)
    return fn


# --------------------------------------------------------------------------- the settings in force

_current: contextvars.ContextVar[Optional[Settings]] = contextvars.ContextVar("extractor_settings", default=None)
_default: Optional[Settings] = None


def current() -> Settings:
    """The settings of the call in progress, else the process default (from the environment)."""
    found = _current.get()
    if found is not None:
        return found
    global _default
    if _default is None:
        _default = Settings()
    return _default


@contextlib.contextmanager
def use(settings: Optional[Settings]) -> Iterator[Settings]:
    """Run the enclosed stages with `settings` (None: keep the settings in force)."""
    if settings is None:
        yield current()
        return
    token = _current.set(settings)
    try:
        yield settings
    finally:
        _current.reset(token)


def reload() -> Settings:
    """Forget the process default and its caches: the next stage re-reads rules/ (after editing it)."""
    global _default
    _default = None
    return current()
