"""Exporters and splitting. Qt-free, streaming, atomic."""
