"""Use cases that combine core, storage, ingest, suggest and export. Qt-free."""
