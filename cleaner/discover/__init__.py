"""``cleaner discover``: learn an unknown vendor's boilerplate from a corpus and propose rules.

The flow: count normalised lines once per document (pass 1, hashed), survey
the frequent ones (pass 2: positions, neighbours, digit runs, example
documents), set aside lines that look like report body, group the rest into
head/tail blocks and single lines, and turn each group into a rule file whose
examples come from the corpus and are checked before anything is written.
"""

from .pipeline import Discovery, Settings, discover, discover_shards
from .propose import Candidate, Proposal
from .write import write_proposals

__all__ = ["Candidate", "Discovery", "Proposal", "Settings", "discover", "discover_shards", "write_proposals"]
