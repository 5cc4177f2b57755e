"""The Textual application: the app, its screens and widgets, messages, key bindings, history and styles."""
