"""Evidence handling: the content-addressed exhibit store, exhibits and continuity."""
