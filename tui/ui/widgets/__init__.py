"""Widgets that draw what their screen hands them and post messages up; none holds the knowledge base."""
