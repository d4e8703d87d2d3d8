"""Grid types (classify) from land use, buildings, POIs, DEM and land cover through editable mapping tables."""
