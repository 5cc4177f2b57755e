"""Reading and checking data: safe YAML, building records, data files, problems, the parse cache. No Textual."""
