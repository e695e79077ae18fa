"""cleaner: strip vendor boilerplate and watermarks from reports, keeping the body byte-exact."""

from .decision import undo
from .edits import CleanResult, Edit
from .engine import Cleaner, clean
from .rules import Rule, RuleError, load_rules

__all__ = ["CleanResult", "Cleaner", "Edit", "Rule", "RuleError", "clean", "load_rules", "undo"]
__version__ = "0.1.0"
