"""Evidence importers: one module per format in ``formats/``, a registry, and the pipeline."""
