"""Importers: files and records in, normalised documents with annotations out. Qt-free."""
