"""What the data is and how it is queried: records, dates, the knowledge base, the region tree, the
search index. No Textual."""
