"""The world map without Textual: the packaged land/sea raster and its reader."""
