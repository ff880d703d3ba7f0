"""Suggesters: document in, suggested spans out. Qt-free."""
