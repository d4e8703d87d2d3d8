"""One input-checking layer for every algorithm: geometries, numbers, codes, patterns, tables, folders.

Every algorithm reads its layers into GeoDataFrames and passes them through these checks before any
work, so the same bad input gets the same message everywhere. The rules, in one place:

* **Geometry type**: a layer must hold the kind the parameter asks for (points, lines, polygons);
  anything else is refused, naming the layer and what it holds.
* **Null and empty geometries** are left out, counted in a warning with a few feature ids; a layer
  left with nothing is refused.
* **Invalid polygons** (self-intersections, bow ties) are repaired with ``make_valid`` (polygonal
  parts kept) and counted in a warning.
* **Numeric fields** (households, loads, weights): a value that is NULL counts as 0 and is counted in
  a warning; text that is not a number, an infinite value, a negative value or a value above
  :data:`MAX_LOAD_PER_FEATURE` is refused with the field, the count and examples. A field without a
  single number is refused.
* **Magnitudes**: a total load that would make more than :data:`MAX_GRIDS` grids is refused.
* **Code fields**: ``fid`` (the GeoPackage feature id, an integer GDAL renumbers) is not a code field.
* **Regular expressions** are compiled up front; a bad one is refused with the reason.
* **CSV tables** are read as UTF-8, UTF-8 with BOM or GBK/GB18030 (the default of Chinese Excel),
  detected from the bytes; a file that is not a text table is refused.
* **Output folders** are created when missing; a folder that cannot be written is refused.

Examples
--------
>>> import geopandas as gpd, shapely
>>> frame = gpd.GeoDataFrame({"households": [3, None]}, geometry=[shapely.box(0, 0, 1, 1), None])
>>> report = Report()
>>> clean = clean_geometries(frame, "buildings", report)
>>> len(clean), report.warnings[0].message.split(";")[0]
(1, '1 features of the layer buildings have no geometry')
>>> numeric_values(clean, "households", "buildings", report).tolist()
[3.0]
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import N_, InputError, Report, Term

__all__ = [
    "MAX_LOAD_PER_FEATURE",
    "MAX_GRIDS",
    "GEOMETRY_KINDS",
    "geometry_kinds",
    "check_geometry_kind",
    "clean_geometries",
    "numeric_values",
    "check_grid_count",
    "check_code_field",
    "compile_pattern",
    "detect_encoding",
    "read_csv_text",
    "read_csv_records",
    "ensure_output_folder",
    "check_writable",
    "atomic_output",
    "give_mode_of",
]

#: The largest load (households) one feature may carry: a building with more is a data error.
MAX_LOAD_PER_FEATURE = 1e6
#: The most grids a run may make: more is a data or target error, and would not finish.
MAX_GRIDS = 1e6

#: shapely type id → geometry kind.
GEOMETRY_KINDS = {0: "point", 4: "point", 1: "line", 2: "line", 5: "line", 3: "polygon", 6: "polygon"}

#: How each kind is named in messages (translatable).
_KIND_NAMES = {"point": Term(N_("points")), "line": Term(N_("lines")), "polygon": Term(N_("polygons"))}


def _examples(values, limit: int = 3) -> str:
    seen = []
    for value in values:
        text = str(value)
        if text not in seen:
            seen.append(text)
        if len(seen) >= limit:
            break
    return ", ".join(seen)


def _ids(frame, mask) -> str:
    column = "fid" if "fid" in frame.columns else None
    values = frame.loc[mask, column].tolist() if column else list(np.flatnonzero(np.asarray(mask)))
    return _examples(values)


def geometry_kinds(frame) -> set[str]:
    """The geometry kinds (``point``, ``line``, ``polygon``) present in ``frame`` (nulls ignored)."""
    import shapely

    geoms = np.asarray(frame.geometry.values, dtype=object)
    present = geoms[~shapely.is_missing(geoms)]
    return {GEOMETRY_KINDS.get(int(t), "other") for t in set(shapely.get_type_id(present).tolist())}


def check_geometry_kind(kinds, allowed, name: str) -> None:
    """Refuse a layer holding geometry ``kinds`` other than ``allowed`` (both sets of kind names).

    >>> check_geometry_kind({"point"}, {"polygon"}, "area")
    Traceback (most recent call last):
    ...
    gridplanner.grid_plugin.core.errors.InputError: The layer area holds points; it needs polygons. Choose another layer.
    """
    kinds = {k for k in kinds if k}
    allowed = set(allowed)
    wrong = sorted(kinds - allowed)
    if not wrong or not allowed:
        return
    raise InputError(
        N_("The layer {name} holds {kinds}; it needs {needed}. Choose another layer."),
        name=name,
        kinds=_KIND_NAMES.get(wrong[0], Term(wrong[0])),
        needed=_KIND_NAMES.get(sorted(allowed)[0], Term(sorted(allowed)[0])),
    )


def clean_geometries(frame, name: str, report: Report | None = None, *, polygons: bool | None = None):
    """Leave out null and empty geometries (counted) and repair invalid polygons (counted).

    Parameters
    ----------
    frame : GeoDataFrame
    name : str
        The layer's name in messages.
    report : Report, optional
        Receives the warnings.
    polygons : bool, optional
        Repair invalid polygons (default: when the layer holds polygons). Repaired polygons keep
        their polygonal parts only, so a bow tie stays a (multi)polygon.

    Returns
    -------
    GeoDataFrame
        A new frame (the input is never changed); the same frame when nothing needed doing.

    Raises
    ------
    InputError
        When no feature with a geometry is left.
    """
    import shapely

    report = report or Report()
    if frame is None:
        return None
    geoms = np.asarray(frame.geometry.values, dtype=object)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    out = frame
    if missing.any():
        report.warn(
            N_("{n} features of the layer {name} have no geometry; they were left out (e.g. feature ids {examples})."),
            n=int(missing.sum()),
            name=name,
            examples=_ids(frame, missing),
        )
        out = frame.loc[~missing].copy()
        geoms = geoms[~missing]
        if not len(out):
            raise InputError(
                N_("No feature of the layer {name} has a geometry; choose a layer with geometries."), name=name
            )
    if polygons is None:
        polygons = "polygon" in geometry_kinds(out) if len(out) else False
    if polygons and len(geoms):
        invalid = ~shapely.is_valid(geoms)
        if invalid.any():
            repaired = shapely.make_valid(geoms[invalid])
            repaired = np.array([_polygonal_part(g) for g in repaired], dtype=object)
            out = out.copy() if out is frame else out
            column = out.geometry.name
            values = np.array(out.geometry.values, dtype=object)
            values[invalid] = repaired
            out[column] = values
            out = out.set_geometry(column, crs=frame.crs)
            report.warn(
                N_("Repaired {n} invalid polygons in the layer {name} (e.g. feature ids {examples})."),
                n=int(invalid.sum()),
                name=name,
                examples=_ids(out, invalid),
            )
    return out


def _polygonal_part(geom):
    import shapely

    if geom is None or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geom


def numeric_values(
    frame,
    field: str,
    name: str,
    report: Report | None = None,
    *,
    maximum: float | None = MAX_LOAD_PER_FEATURE,
    allow_negative: bool = False,
) -> np.ndarray:
    """The values of a numeric field as floats, checked by the one rule for loads, weights and households.

    NULL counts as 0 (counted in a warning); text that is not a number, an infinite value, a negative
    value (unless ``allow_negative``) or a value above ``maximum`` is refused with examples; a field
    without any number is refused.

    >>> import pandas as pd
    >>> numeric_values(pd.DataFrame({"hh": ["12", 3, None]}), "hh", "buildings").tolist()
    [12.0, 3.0, 0.0]
    >>> numeric_values(pd.DataFrame({"hh": ["12", "many"]}), "hh", "buildings")
    Traceback (most recent call last):
    ...
    gridplanner.grid_plugin.core.errors.InputError: 1 values of the field hh in the layer buildings are not numbers (e.g. many); correct them or choose a numeric field.
    """
    report = report or Report()
    if field not in frame.columns:
        raise InputError(
            N_("The layer {name} has no field {field}; choose the field that holds the numbers (e.g. households)."),
            name=name,
            field=field,
        )
    raw = frame[field]
    text = raw.map(lambda v: v.strip().replace(",", "") if isinstance(v, str) else v)
    text = text.map(lambda v: None if isinstance(v, str) and v == "" else v)
    values = pd.to_numeric(text, errors="coerce").astype(float)
    present = text.notna().to_numpy()
    numbers = values.to_numpy(dtype=float, copy=True)
    not_number = present & ~np.isfinite(numbers)
    if not_number.any():
        raise InputError(
            N_(
                "{n} values of the field {field} in the layer {name} are not numbers (e.g. {examples}); correct "
                "them or choose a numeric field."
            ),
            n=int(not_number.sum()),
            field=field,
            name=name,
            examples=_examples(raw[not_number].tolist()),
        )
    if len(numbers) and not present.any():
        raise InputError(
            N_("The field {field} of the layer {name} has no values (all NULL); choose the field that holds them."),
            field=field,
            name=name,
        )
    nulls = int((~present).sum())
    if nulls:
        report.warn(
            N_("{n} features of the layer {name} have no value in {field}; they count as 0."),
            n=nulls,
            name=name,
            field=field,
        )
    numbers[~present] = 0.0
    negative = numbers < 0
    if negative.any() and not allow_negative:
        raise InputError(
            N_(
                "{n} features of the layer {name} have a negative {field} (e.g. {examples}); it cannot be "
                "negative. Correct them (0 for none) and run again."
            ),
            n=int(negative.sum()),
            name=name,
            field=field,
            examples=_examples(numbers[negative].tolist()),
        )
    if maximum is not None:
        huge = np.abs(numbers) > maximum
        if huge.any():
            raise InputError(
                N_(
                    "{n} features of the layer {name} have a {field} above {maximum:,.0f} (e.g. {examples}); no "
                    "building holds that many. Correct the values (a unit or import error?) and run again."
                ),
                n=int(huge.sum()),
                name=name,
                field=field,
                maximum=maximum,
                examples=_examples(f"{v:g}" for v in numbers[huge]),
            )
    return numbers


def check_grid_count(total_load: float, target_load: float, *, n_grids: int | None = None) -> None:
    """Refuse a run that would make more than :data:`MAX_GRIDS` grids (total load / target, or ``n_grids``).

    >>> check_grid_count(4000, 400)
    >>> check_grid_count(5e11, 400)
    Traceback (most recent call last):
    ...
    gridplanner.grid_plugin.core.errors.InputError: A total load of 500,000,000,000 at a target of 400 per grid would make 1,250,000,000 grids (at most 1,000,000); check the load field and the target.
    """
    if n_grids:
        wanted = float(n_grids)
    elif target_load and target_load > 0:
        wanted = float(total_load) / float(target_load)
    else:
        return
    if not np.isfinite(wanted) or wanted > MAX_GRIDS:
        raise InputError(
            N_(
                "A total load of {total:,.0f} at a target of {target:g} per grid would make {grids:,.0f} grids (at "
                "most {limit:,.0f}); check the load field and the target."
            ),
            total=float(total_load),
            target=float(target_load or 0),
            grids=wanted,
            limit=MAX_GRIDS,
        )


def check_code_field(field: str | None) -> None:
    """Refuse ``fid`` as the name of a code field (GeoPackages keep it as an integer id and renumber it).

    >>> check_code_field("grid_code")
    >>> check_code_field("FID")
    Traceback (most recent call last):
    ...
    gridplanner.grid_plugin.core.errors.InputError: FID is the feature id of a GeoPackage, an integer that GDAL assigns; it cannot hold grid codes. Choose another name, e.g. grid_code.
    """
    if field and field.strip().lower() in ("fid", "qgis_fid", "ogc_fid"):
        raise InputError(
            N_(
                "{field} is the feature id of a GeoPackage, an integer that GDAL assigns; it cannot hold grid "
                "codes. Choose another name, e.g. grid_code."
            ),
            field=field,
        )


def compile_pattern(pattern: str) -> re.Pattern:
    r"""Compile a regular expression, or raise :class:`InputError` with the reason.

    >>> compile_pattern(r"^\d{15}$").pattern
    '^\\d{15}$'
    """
    try:
        return re.compile(pattern)
    except (re.error, TypeError) as error:
        raise InputError(
            N_(
                "The pattern {pattern} is not a valid regular expression ({reason}); correct it, e.g. ^[0-9]+$ for digits."
            ),
            pattern=str(pattern),
            reason=str(error),
        ) from None


def detect_encoding(data: bytes) -> str | None:
    """``utf-8-sig``, ``utf-8`` or ``gb18030`` (a superset of GBK) for the bytes of a text file; None for none.

    >>> detect_encoding("网格".encode("gbk")), detect_encoding("网格".encode("utf-8"))
    ('gb18030', 'utf-8')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if b"\x00" in data[:4096]:
        return None  # UTF-16 or a binary file (an Excel workbook, a zip)
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return None


def read_csv_text(path) -> str:
    """The text of a CSV file (UTF-8, UTF-8 with BOM or GBK, detected); the one CSV decoder of the plugin.

    Raises
    ------
    InputError
        A missing file, a file that is not a text CSV (an Excel workbook, a binary file), or an
        encoding that is none of the three.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(N_("The table {path} does not exist; choose an existing CSV file."), path=str(path))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            N_("The table {path} could not be read ({reason})."), path=str(path), reason=str(error)
        ) from None
    encoding = detect_encoding(data)
    if encoding is None:
        excel = data.startswith(b"PK") or data.startswith(b"\xd0\xcf")
        raise InputError(
            N_(
                "The table {path} is not a CSV text file ({kind}); save it as CSV (UTF-8 or GBK) from your "
                "spreadsheet and choose that file."
            ),
            path=str(path),
            kind=Term(N_("an Excel workbook")) if excel else Term(N_("binary data or an unknown encoding")),
        )
    return data.decode(encoding)


def read_csv_records(path) -> tuple[list[str], list[dict]]:
    """Read a CSV table (UTF-8, UTF-8 with BOM or GBK, detected) into its columns and rows of text.

    Column names and values are stripped; rows are dicts of column → text ('' for a missing cell).
    Errors as :func:`read_csv_text`, and a file the CSV parser rejects.
    """
    text = read_csv_text(path)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        columns = [(c or "").strip() for c in (reader.fieldnames or [])]
        rows = [
            {(k or "").strip(): (v if isinstance(v, str) else "").strip() for k, v in row.items() if k is not None}
            for row in reader
        ]
    except csv.Error as error:
        raise InputError(
            N_("The table {path} is not a readable CSV file ({reason})."), path=str(path), reason=str(error)
        ) from None
    return columns, rows


def ensure_output_folder(path) -> Path:
    """Create the folder of the output ``path`` when missing; refuse one that cannot be written.

    Returns the folder.
    """
    folder = Path(path).expanduser().resolve().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(
            N_("The output folder {folder} could not be created ({reason}); choose another folder."),
            folder=str(folder),
            reason=error.strerror or str(error),
        ) from None
    try:
        handle, probe = tempfile.mkstemp(prefix=".gridplanner-write-test-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise InputError(
            N_("The output folder {folder} is not writable ({reason}); choose another folder."),
            folder=str(folder),
            reason=error.strerror or str(error),
        ) from None
    return folder


def check_writable(path: str | os.PathLike, what: str = "output") -> Path:
    """Fail early with a clear message when ``path`` cannot be written."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.exists():
        raise InputError(
            N_("Cannot write the {what} {path}: the folder {folder} does not exist. Choose an existing folder."),
            what=what,
            path=str(target),
            folder=str(folder),
        )
    if target.is_dir():
        raise InputError(
            N_("Cannot write the {what} {path}: it is a folder. Give a file name."), what=what, path=str(target)
        )
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise InputError(
            N_("Cannot write the {what} {path}: permission denied. Choose a folder you can write to."),
            what=what,
            path=str(target),
        )
    return target


def give_mode_of(target, temporary) -> None:
    """Give ``temporary`` (about to replace ``target``) the permissions ``target`` has, 0644 for a new file.

    A temporary file is created readable by its owner only (``mkstemp``); renamed as it is, a map or
    report would be unreadable to the colleagues an office shares its folder with.
    """
    target = Path(target)
    temporary = Path(temporary)
    if not temporary.exists():
        return
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
    try:
        os.chmod(temporary, mode)
    except OSError:  # a file system without permissions (FAT, some network shares)
        pass


@contextlib.contextmanager
def atomic_output(path):
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on failure it is removed.

    So a failed or cancelled write leaves the previous file as it was.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_output(target) as temporary:
    ...     _ = temporary.write_text("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".part{path.suffix}", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        give_mode_of(path, temporary)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()
