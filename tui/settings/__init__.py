"""Configuration: the config file, the environment and the flags resolved into one set of settings. No Textual."""
