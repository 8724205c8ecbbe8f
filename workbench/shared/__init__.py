"""A unit's shared store: investigators and roles, per-case access, notes and tags,
cross-case hits and watchlists (the model is in :mod:`workbench.model.shared`)."""
