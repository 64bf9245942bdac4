"""extractor: board papers (PDF, DOCX) in, clean action-plan data out."""
__version__ = "0.1.0"
