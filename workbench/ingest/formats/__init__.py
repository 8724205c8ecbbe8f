"""One module per source format; each registers an :class:`~workbench.ingest.registry.Importer`."""
