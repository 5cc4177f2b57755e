"""Writing the data out: JSON and CSV, the Markdown briefing, the JSON Schema. No Textual."""
