"""The app's screens: the explorer, search, help, loading, too-small and the table views."""
