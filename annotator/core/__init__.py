"""Qt-free, database-free domain: text, offsets, tokens, spans, claims, schema, commands."""
