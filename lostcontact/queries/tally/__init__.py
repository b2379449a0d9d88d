"""The A–X disposition tally (DOMAIN.md §8), as of any date, rolled up the org tree."""
from .compute import TallyInvariantBroken, compute_tally
from .tree import TallyNode
from .read import tally, tally_root

__all__ = ["TallyInvariantBroken", "TallyNode", "compute_tally", "tally", "tally_root"]
