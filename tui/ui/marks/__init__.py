"""Marks in the UI: the app-side controller, the Marked view and its dialogs."""
