"""Escalation markers and the risk summary.

The published warning signs of abuse of position for a sexual purpose, detected
from a case's evidence as *indicators for the investigator*, each traceable to the
records behind it. Public entry points:

* :func:`run_analysis` runs the sixteen rules and stores the markers;
* :func:`review_marker` records an investigator's accept/dismiss with a reason;
* :data:`RULES` gives each rule id a plain-words title and how it is computed;
* :func:`marker_document` builds the ``analyse --json`` document from stored markers;
* :func:`find_hits` finds the lexicon's words in a text (for highlighting).
"""

from workbench.analysis.catalogue import RULES, RuleInfo, rule_description, rule_title
from workbench.analysis.document import marker_document
from workbench.analysis.lexicon import Hit, find_hits
from workbench.analysis.persist import AnalysisResult, review_marker, run_analysis

__all__ = ["RULES", "AnalysisResult", "Hit", "RuleInfo", "find_hits", "marker_document", "rule_description", "rule_title",
           "review_marker", "run_analysis"]
