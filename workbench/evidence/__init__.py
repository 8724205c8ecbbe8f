"""Evidence handling: exhibits, their continuity and fingerprints (the content-addressed
file store they are kept in is the store's: workbench.store.exhibit_files)."""
