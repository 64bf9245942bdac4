"""Document-wide facts the row normalisers need: its RAG key, its role glossary, its year."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from extractor.fields import owners, status
from extractor.model import Block, DocumentResult, LayoutDocument, Table


@dataclass
class DocContext:
    """What the whole document tells the row normalisers."""
    doc_id: str
    path: str
    doc_year: Optional[int] = None
    doc_date: Optional[str] = None
    rag_key: dict[str, str] = field(default_factory=dict)
    glossary: dict[str, str] = field(default_factory=dict)


def document_context(layout: LayoutDocument, result: DocumentResult) -> DocContext:
    ctx = DocContext(doc_id=result.doc_id, path=result.path, doc_date=result.doc_date or None)
    if result.doc_date[:4].isdigit():
        ctx.doc_year = int(result.doc_date[:4])
    for item in layout.items:
        if isinstance(item, Table):
            rows = [[c.text for c in r.cells if not c.covered] for r in item.rows]
            fills = [[c.fill for c in r.cells if not c.covered] for r in item.rows]
            if rows and owners.is_glossary_header(rows[0]):
                ctx.glossary.update(owners.glossary_from_rows(rows))
                continue
            key = status.rag_key_from_rows(rows, fills)
            if key and not ctx.rag_key:
                ctx.rag_key = key
        elif isinstance(item, Block) and not ctx.rag_key:
            key = status.rag_key_from_text(item.text)
            if key:
                ctx.rag_key = key
    return ctx
