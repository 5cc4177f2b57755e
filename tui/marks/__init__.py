"""The user's marks: records collected while browsing, each with an optional note, kept in order.

No Textual and nothing from the knowledge base: a mark names a record by (kind, id) and remembers
its last known name, so a record that leaves the data is still shown (as missing), never dropped.
"""
