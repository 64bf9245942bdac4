"""The closed vocabularies of the versions stage, defined once: what a crosswalk row can say about a pair of
actions, which fields a change row can name, and what an action_history row says about an action in one
version. extractor/output/schema.py takes its enums from here (the data dictionary and datapackage.json).

Standard library only: the schema imports this module and must stay cheap."""
from __future__ import annotations

MATCHES = ("matched", "added", "removed", "split", "merged")
CHANGE_FIELDS = ("status", "rag", "due_date", "due_revised", "owner", "text", "ref")
PRESENCE = ("present", "absent", "split", "merged")
EDITIONS = ("draft", "final", "revised")  # what a title or file name can say of an edition
