"""WordprocessingML look-ups the DOCX reader needs: style inheritance (run and paragraph properties) and list
numbering (numbering.xml counters rebuilt into the labels Word would draw)."""
import re
from dataclasses import dataclass, field
from typing import Optional

from docx.oxml.ns import qn
from docx.styles import BabelFish
from lxml import etree

from extractor.settings import current

# --------------------------------------------------------------------------- tags

W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
W_SDT, W_SDT_CONTENT = qn("w:sdt"), qn("w:sdtContent")
W_CUSTOM_XML, W_R, W_T, W_TAB, W_BR, W_CR = qn("w:customXml"), qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_PPR, W_RPR, W_TCPR, W_TRPR, W_TBLPR = qn("w:pPr"), qn("w:rPr"), qn("w:tcPr"), qn("w:trPr"), qn("w:tblPr")
W_LRPB = qn("w:lastRenderedPageBreak")
W_VAL = qn("w:val")
W_TXBX = qn("w:txbxContent")
M_OMATH, M_OMATH_PARA, M_T = qn("m:oMath"), qn("m:oMathPara"), qn("m:t")
MC_ALT = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
MC_CHOICE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Choice"

# inline containers whose runs are part of the paragraph text (tracked insertions, links, fields...)
_INLINE_CONTAINERS = {qn(t) for t in ("w:hyperlink", "w:ins", "w:smartTag", "w:customXml", "w:fldSimple",
                                      "w:dir", "w:bdo", "w:moveTo", "w:sdtContent")}
_FALSE = {"0", "false", "off", "none"}
_SOFT_BREAK = "\n"  # a w:br/w:cr inside a paragraph: a line, and a separate item inside a table cell
_HEADING_RE = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_HEX6_RE = re.compile(r"^[0-9A-F]{6}$")



def _on(el: Optional[etree._Element]) -> Optional[bool]:
    """A toggle/flag element: None when absent, else its w:val (absent val = on)."""
    if el is None:
        return None
    return el.get(W_VAL, "1").lower() not in _FALSE


def _int(value: Optional[str], default: int = 0) -> int:
    try:
        return int(float(value)) if value not in (None, "") else default
    except ValueError:
        return default


def _twips(value: Optional[str]) -> Optional[float]:
    """Twentieths of a point -> points; None when absent/unparseable."""
    if value in (None, ""):
        return None
    try:
        return float(value) / 20.0
    except ValueError:
        return None


# --------------------------------------------------------------------------- styles

@dataclass
class _Style:
    name: str = ""
    bold: Optional[bool] = None
    size: Optional[float] = None
    outline: Optional[int] = None  # 0-based outline level (9 = body text)
    num_id: Optional[str] = None
    ilvl: Optional[int] = None
    before: Optional[float] = None  # spacing, points
    after: Optional[float] = None
    line: Optional[float] = None  # line spacing multiple (lineRule auto) ...
    line_pt: Optional[float] = None  # ... or exact/at-least points
    borders: dict[str, bool] = field(default_factory=dict)  # table styles: edge -> visible


class _Styles:
    """styles.xml, with basedOn inheritance resolved attribute by attribute (memoised)."""

    def __init__(self, root: Optional[etree._Element]):
        self._raw: dict[str, etree._Element] = {}
        self._resolved: dict[str, _Style] = {}
        self.default_para: Optional[str] = None
        self.defaults = _Style(size=current().docx.default_font_size, before=0.0, after=0.0, line=1.0)
        if root is None:
            return
        for st in root.iterchildren(qn("w:style")):
            sid = st.get(qn("w:styleId"))
            if sid is None:
                continue
            self._raw[sid] = st
            if st.get(qn("w:type")) == "paragraph" and st.get(qn("w:default"), "0").lower() in ("1", "true", "on"):
                self.default_para = sid
        dd = root.find(qn("w:docDefaults"))
        if dd is not None:
            own = _own_style_props(dd.find(f"{qn('w:rPrDefault')}/{W_RPR}"), dd.find(f"{qn('w:pPrDefault')}/{W_PPR}"))
            for attr in ("size", "before", "after", "line", "line_pt"):
                if getattr(own, attr) is not None:
                    setattr(self.defaults, attr, getattr(own, attr))
                    if attr == "line_pt":
                        self.defaults.line = None

    def get(self, sid: Optional[str]) -> Optional[_Style]:
        """The resolved style with this id, or None when the document does not define it."""
        if sid is None or sid not in self._raw:
            return None
        if sid not in self._resolved:
            self._resolved[sid] = _Style()  # cycle guard for basedOn loops
            self._resolved[sid] = self._resolve(sid)
        return self._resolved[sid]

    def para(self, sid: Optional[str]) -> _Style:
        """A paragraph's style: its own, else the default paragraph style, else the document defaults."""
        return self.get(sid) or self.get(self.default_para) or self.defaults

    def _resolve(self, sid: str) -> _Style:
        st = self._raw[sid]
        own = _own_style_props(st.find(W_RPR), st.find(W_PPR))
        name_el = st.find(qn("w:name"))
        own.name = BabelFish.internal2ui(name_el.get(W_VAL, sid)) if name_el is not None else sid
        own.borders = _borders(st.find(f"{W_TBLPR}/{qn('w:tblBorders')}"))
        based = st.find(qn("w:basedOn"))
        parent = (self.get(based.get(W_VAL)) if based is not None else None) or self.defaults
        for attr in ("bold", "size", "outline", "num_id", "ilvl", "before", "after"):
            if getattr(own, attr) is None:
                setattr(own, attr, getattr(parent, attr))
        if own.line is None and own.line_pt is None:  # line spacing is one setting: a multiple or points
            own.line, own.line_pt = parent.line, parent.line_pt
        own.borders = {**parent.borders, **own.borders}
        return own


def _own_style_props(rpr: Optional[etree._Element], ppr: Optional[etree._Element]) -> _Style:
    s = _Style()
    if rpr is not None:
        s.bold = _on(rpr.find(qn("w:b")))
        sz = rpr.find(qn("w:sz"))
        if sz is not None and sz.get(W_VAL):
            s.size = _int(sz.get(W_VAL)) / 2.0 or None
    if ppr is not None:
        ol = ppr.find(qn("w:outlineLvl"))
        if ol is not None:
            s.outline = _int(ol.get(W_VAL), 9)
        num = ppr.find(qn("w:numPr"))
        if num is not None:
            nid, lvl = num.find(qn("w:numId")), num.find(qn("w:ilvl"))
            s.num_id = nid.get(W_VAL) if nid is not None else None
            s.ilvl = _int(lvl.get(W_VAL)) if lvl is not None else None
        sp = ppr.find(qn("w:spacing"))
        if sp is not None:
            s.before, s.after = _twips(sp.get(qn("w:before"))), _twips(sp.get(qn("w:after")))
            if sp.get(qn("w:line")):
                if sp.get(qn("w:lineRule"), "auto") == "auto":
                    s.line = _int(sp.get(qn("w:line")), 240) / 240.0
                else:
                    s.line_pt = _twips(sp.get(qn("w:line")))
    return s


def _borders(el: Optional[etree._Element]) -> dict[str, bool]:
    """w:tblBorders / w:tcBorders -> {edge: visible}."""
    if el is None:
        return {}
    return {child.tag.rsplit("}", 1)[-1]: child.get(W_VAL, "none").lower() not in ("none", "nil", "")
            for child in el.iterchildren()}


# --------------------------------------------------------------------------- numbering

@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: Optional[int] = None  # w:lvlRestart (1-based level after which to restart; 0 = never)
    legal: bool = False  # w:isLgl: show every level in decimal


class _Numbering:
    """numbering.xml: numId -> levels, and running counters (kept per numId)."""

    def __init__(self, root: Optional[etree._Element], styles: _Styles):
        self._levels: dict[str, dict[int, _Level]] = {}
        self._counters: dict[str, list[Optional[int]]] = {}
        self.labels_cut = 0  # labels longer than settings.docx.max_label_chars (a hostile numbering.xml), cut
        if root is None:
            return
        abstract: dict[str, etree._Element] = {a.get(qn("w:abstractNumId")): a
                                               for a in root.iterchildren(qn("w:abstractNum"))}
        nums = {n.get(qn("w:numId")): n for n in root.iterchildren(qn("w:num"))}
        for num_id, num in nums.items():
            ref = num.find(qn("w:abstractNumId"))
            a = abstract.get(ref.get(W_VAL)) if ref is not None else None
            a = _follow_style_link(a, abstract, nums, styles)
            levels = ({_int(l.get(qn("w:ilvl"))): _parse_level(l) for l in a.iterchildren(qn("w:lvl"))}
                      if a is not None else {})
            for ov in num.iterchildren(qn("w:lvlOverride")):
                ilvl = _int(ov.get(qn("w:ilvl")))
                lvl_el = ov.find(qn("w:lvl"))
                if lvl_el is not None:
                    levels[ilvl] = _parse_level(lvl_el)
                so = ov.find(qn("w:startOverride"))
                if so is not None:
                    base = levels.get(ilvl, _Level())
                    levels[ilvl] = _Level(_int(so.get(W_VAL), 1), base.fmt, base.text, base.restart, base.legal)
            self._levels[num_id] = levels

    def label(self, num_id: Optional[str], ilvl: int) -> Optional[tuple[str, bool]]:
        """Advance the counters for one numbered paragraph: (rendered label, is_bullet), or None."""
        levels = self._levels.get(num_id or "")
        if not levels or num_id == "0":
            return None
        ilvl = max(0, min(8, ilvl))
        lvl = levels.get(ilvl)
        if lvl is None:
            return None
        counters = self._counters.setdefault(num_id, [None] * 9)
        counters[ilvl] = lvl.start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 9):  # a level restarts when a higher level advances (w:lvlRestart)
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and ilvl < restart):
                counters[deeper] = None
        if lvl.fmt == "bullet":
            return "•", True
        if lvl.fmt == "none":
            return "", False
        label = self._render(levels, counters, ilvl)
        cap = current().docx.max_label_chars
        if len(label) > cap:
            self.labels_cut += 1
            label = label[:cap]
        return label, False

    @staticmethod
    def _render(levels: dict[int, _Level], counters: list[Optional[int]], ilvl: int) -> str:
        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lvl = levels.get(k, _Level())
            value = counters[k] if counters[k] is not None else lvl.start
            fmt = "decimal" if (levels[ilvl].legal and k != ilvl) else lvl.fmt
            return _format_number(value, fmt)
        return re.sub(r"%([1-9])", sub, levels[ilvl].text).strip()


def _parse_level(el: etree._Element) -> _Level:
    def val(tag: str) -> Optional[str]:
        child = el.find(qn(tag))
        return child.get(W_VAL) if child is not None else None
    restart = val("w:lvlRestart")
    return _Level(start=_int(val("w:start"), 1), fmt=val("w:numFmt") or "decimal", text=val("w:lvlText") or "",
                  restart=_int(restart) if restart is not None else None, legal=_on(el.find(qn("w:isLgl"))) or False)


def _follow_style_link(a: Optional[etree._Element], abstract: dict[str, etree._Element],
                       nums: dict[str, etree._Element], styles: _Styles) -> Optional[etree._Element]:
    """An abstractNum that only says w:numStyleLink borrows the levels of the list its numbering style names."""
    for _ in range(3):
        if a is None or a.find(qn("w:lvl")) is not None:
            return a
        link = a.find(qn("w:numStyleLink"))
        if link is None:
            return a
        linked = styles.get(link.get(W_VAL))
        num = nums.get(linked.num_id or "") if linked is not None else None
        ref = num.find(qn("w:abstractNumId")) if num is not None else None
        a = abstract.get(ref.get(W_VAL)) if ref is not None else None
    return a


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter") and n > 26 * 40 or fmt in ("lowerRoman", "upperRoman") and n > 3999:
        fmt = "decimal"  # a letter repeated n/26 times or a run of Ms: a start value of 10**7 must not render 400 KB
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s.lower() if fmt == "lowerRoman" else s
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "ordinal":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    return str(n)  # decimal and everything exotic (cardinalText, decimalEnclosedCircle, ...)


def _roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)
