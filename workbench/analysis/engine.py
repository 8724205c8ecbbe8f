"""Running the rules over one case's data: candidates in, nothing stored."""

from __future__ import annotations

from collections.abc import Callable

from workbench.analysis.candidates import Candidate
from workbench.analysis.context import Context
from workbench.analysis.lexicon import Lexicon, default_lexicon
from workbench.analysis.loader import CaseData
from workbench.analysis.rules_channels import channel_shift, no_duty_link, personal_channel_contact
from workbench.analysis.rules_content import (
    affectionate_language,
    secrecy_request,
    sexualised_language,
)
from workbench.analysis.rules_history import complaint_cluster, prior_intelligence
from workbench.analysis.rules_lookups import system_lookup
from workbench.analysis.rules_places import vehicle_dwell
from workbench.analysis.rules_timing import off_duty_contact, post_closure_contact, unsocial_hours
from workbench.analysis.rules_volume import frequency_escalation, repeated_short_calls
from workbench.analysis.rules_wide_net import multiple_members_of_public
from workbench.analysis.settings import Settings, load_settings
from workbench.tasks import CancelToken, Progress, no_progress

# In the order of ARCHITECTURE.md; multiple_members_of_public runs last, over the others.
RULE_FUNCTIONS: dict[str, Callable[[Context], list[Candidate]]] = {
    "channel_shift": channel_shift,
    "personal_channel_contact": personal_channel_contact,
    "affectionate_language": affectionate_language,
    "sexualised_language": sexualised_language,
    "secrecy_request": secrecy_request,
    "off_duty_contact": off_duty_contact,
    "unsocial_hours": unsocial_hours,
    "post_closure_contact": post_closure_contact,
    "no_duty_link": no_duty_link,
    "frequency_escalation": frequency_escalation,
    "repeated_short_calls": repeated_short_calls,
    "vehicle_dwell": vehicle_dwell,
    "system_lookup": system_lookup,
    "prior_intelligence": prior_intelligence,
    "complaint_cluster": complaint_cluster,
}


def find_candidates(
    data: CaseData,
    settings: Settings | None = None,
    lexicon: Lexicon | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    start: float = 0.0,
    stop: float = 1.0,
) -> list[Candidate]:
    """Every rule's candidates for the case, in rule order then time order."""
    context = Context(data, settings or load_settings(), lexicon or default_lexicon())
    found: list[Candidate] = []
    steps = len(RULE_FUNCTIONS) + 1
    for number, (rule, function) in enumerate(RULE_FUNCTIONS.items()):
        if cancel is not None:
            cancel.check()
        progress(start + (stop - start) * number / steps, f"Rule: {rule.replace('_', ' ')}")
        found.extend(sorted(function(context), key=lambda c: (c.start, c.end)))
    found.extend(multiple_members_of_public(context, found))
    progress(stop, "Rules done")
    return found
