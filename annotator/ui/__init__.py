"""The only home of PySide6: windows, views, models, dialogs, the background runner."""
