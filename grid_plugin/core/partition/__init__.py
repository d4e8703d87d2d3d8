"""The partition engine: atomic units, the unit graph, balanced contiguous partition, re-grid, levels and codes."""
