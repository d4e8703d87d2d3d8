"""Incidents: date parsing, kernel density, per-grid statistics and Getis-Ord Gi* hot spots."""
