"""Reading and checking data: safe YAML, building records (in parallel worker processes for many
files), data files, problems. No Textual."""
