"""The bundle's sections, in order; each builder returns the flowables of one section."""
