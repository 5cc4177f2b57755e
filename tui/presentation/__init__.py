"""What is shown, without Textual: outlines, describe, figure bars, quote cards, safe text, view rows."""
