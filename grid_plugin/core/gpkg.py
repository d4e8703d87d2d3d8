"""Write and read multi-layer GeoPackages completely or not at all.

:func:`write_gpkg` writes every layer into a temporary file next to the target and renames it into
place only when all layers are written, so a failed or cancelled run never leaves a half-written
GeoPackage, and readers of an existing file (another test process) keep seeing a complete one.
Field aliases (Chinese names) are stored in the standard ``gpkg_data_columns`` table, which GDAL
reads as the fields' alternative names and QGIS shows as aliases.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import N_, InputError, Report

__all__ = ["read_gpkg", "write_gpkg"]


def _write_aliases(path: Path, aliases_by_layer: Mapping[str, Mapping[str, str]]) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(
            """CREATE TABLE IF NOT EXISTS gpkg_data_columns (
                table_name TEXT NOT NULL, column_name TEXT NOT NULL, name TEXT, title TEXT,
                description TEXT, mime_type TEXT, constraint_name TEXT,
                CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),
                CONSTRAINT gdc_tn UNIQUE (table_name, name))"""
        )
        connection.execute(
            """CREATE TABLE IF NOT EXISTS gpkg_extensions (
                table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
                definition TEXT NOT NULL, scope TEXT NOT NULL,
                CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))"""
        )
        connection.execute(
            "INSERT OR IGNORE INTO gpkg_extensions VALUES ('gpkg_data_columns', NULL, 'gpkg_schema', "
            "'http://www.geopackage.org/spec/#extension_schema', 'read-write')"
        )
        for table, aliases in aliases_by_layer.items():
            for column, alias in aliases.items():
                connection.execute(
                    "INSERT OR REPLACE INTO gpkg_data_columns (table_name, column_name, name, title) VALUES (?, ?, ?, ?)",
                    (table, column, alias, alias),
                )


def _field_array(values: pd.Series) -> np.ndarray:
    """A column as numpy for pyogrio: numbers stay numbers (NaN = null), the rest becomes str or None."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype=bool)
    if pd.api.types.is_integer_dtype(values.dtype) and not values.isna().any():
        return values.to_numpy(dtype=np.int64)
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.to_numpy(dtype=float, na_value=np.nan)
    objects = values.astype(object)
    return np.array(
        [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in objects], dtype=object
    )


def _write_layer(frame: gpd.GeoDataFrame, path: Path, layer: str, geometry_type: str | None) -> None:
    """Write one layer with pyogrio's raw writer.

    The WKB is made here with ``output_dimension=2``: inside qgis_process and the QGIS desktop, shapely's
    GEOS calls can resolve to the system GEOS (3.11), which refuses the 4-dimensional WKB writer that
    pyogrio's ``write_dataframe`` asks shapely 2.2 for.
    """
    import pyogrio.raw

    geometries = frame.geometry.values
    kind = geometry_type or (str(shapely.get_type_id(geometries[:1])) if len(frame) else "Unknown")
    if kind.startswith("Multi"):
        single = {"MultiPolygon": 3, "MultiLineString": 1, "MultiPoint": 0}[kind]
        wrap = {
            "MultiPolygon": shapely.MultiPolygon,
            "MultiLineString": shapely.MultiLineString,
            "MultiPoint": shapely.MultiPoint,
        }[kind]
        geometries = np.array(
            [wrap([g]) if g is not None and shapely.get_type_id(g) == single else g for g in geometries], dtype=object
        )
    wkb = shapely.to_wkb(geometries, output_dimension=2)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    pyogrio.raw.write(
        str(path),
        geometry=wkb,
        field_data=[_field_array(frame[c]) for c in columns],
        fields=columns,
        layer=layer,
        driver="GPKG",
        geometry_type=kind,
        crs=frame.crs.to_wkt() if frame.crs is not None else None,
        encoding="UTF-8",
        append=path.exists(),
        layer_options={"SPATIAL_INDEX": "YES"},
    )


def write_gpkg(
    layers: Mapping[str, gpd.GeoDataFrame],
    path,
    *,
    aliases: Mapping[str, str] | None = None,
    geometry_types: Mapping[str, str] | None = None,
    finalize=None,
    report: Report | None = None,
) -> Path:
    """Write ``layers`` ({name: GeoDataFrame}) into one GeoPackage at ``path``, atomically.

    ``aliases`` maps column names to display names (applied to every layer that has the column);
    ``geometry_types`` gives the declared geometry type per layer (needed for empty layers).
    ``finalize(temporary_path)`` runs on the complete temporary file before it is renamed (the QGIS side
    stores default layer styles there). An existing file at ``path`` is replaced only after every layer
    was written.
    """

    report = report or Report()
    path = Path(path)
    if path.suffix.lower() != ".gpkg":
        raise InputError(N_("The output {path} must be a GeoPackage file ending in .gpkg."), path=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(
            N_("The output folder {folder} does not exist; create it or choose another."), folder=str(folder)
        )
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".part.gpkg", dir=folder)
    os.close(handle)
    temporary = Path(temporary)
    temporary.unlink()
    try:
        for name, frame in layers.items():
            report.check_cancelled()
            geometry_type = (geometry_types or {}).get(name)
            _write_layer(frame, temporary, name, geometry_type)
        if aliases:
            _write_aliases(
                temporary,
                {name: {c: aliases[c] for c in frame.columns if c in aliases} for name, frame in layers.items()},
            )
        if finalize is not None:
            finalize(temporary)
        os.replace(temporary, path)
    except BaseException:
        for leftover in (temporary, Path(f"{temporary}-journal"), Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return path


def read_gpkg(path, layers=None) -> dict[str, gpd.GeoDataFrame]:
    """Read the named ``layers`` (default: every layer with geometry) of a GeoPackage into GeoDataFrames."""
    import pyogrio

    path = Path(path)
    if not path.exists():
        raise InputError(N_("The GeoPackage {path} does not exist."), path=str(path))
    # Tables without geometry (QGIS's layer_styles) are not layers of the plan.
    names = layers or [str(name) for name, kind in pyogrio.list_layers(path) if kind is not None]
    return {name: pyogrio.read_dataframe(path, layer=name) for name in names}
