"""Coordinate reference systems: the automatic metric CRS and the checks every input goes through.

Planning needs lengths and areas in metres, so every prepared layer is in one *projected* CRS:

- inside China the CGCS2000 3-degree Gauss–Krüger zone whose central meridian is nearest to the data
  (EPSG:4534 = CM 75°E … EPSG:4554 = CM 135°E; the zone codes without the zone-number prefix in
  the false easting), which is what Chinese surveying and natural-resources data use;
- elsewhere the WGS 84 UTM zone (EPSG:326xx north, 327xx south).

Geographic input (EPSG:4326, CGCS2000 EPSG:4490, …) is accepted and reprojected; a geographic *target*
is refused, because areas and distances in degrees mean nothing to a planner.

Examples
--------
>>> auto_metric_crs(114.2, 22.7).to_epsg()   # Shenzhen: CGCS2000 / 3-degree GK CM 114E
4547
>>> auto_metric_crs(26.9, 60.5).to_epsg()    # Kotka: UTM 35N
32635
>>> describe_crs(4490)
'EPSG:4490 (China Geodetic Coordinate System 2000)'
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pyproj
import shapely

from .errors import N_, InputError, Report

__all__ = [
    "CHINA_OUTLINE",
    "auto_metric_crs",
    "auto_metric_crs_for",
    "check_same_crs",
    "describe_crs",
    "describe_crs_words",
    "local_time_zone",
    "gk_cgcs2000_epsg",
    "in_china",
    "is_geographic",
    "lonlat_centroid",
    "resolve_target_crs",
    "to_crs",
    "to_metric",
    "utm_epsg",
]

#: A coarse outline of mainland China, Hainan and Taiwan (lon, lat), generous at sea and accurate to
#: some tens of kilometres on land borders. It only decides which family of metric CRS to use, so the
#: precision of a map of national borders is not needed; it keeps Korea, Japan, Mongolia, Vietnam
#: and the Central Asian neighbours out.
_CHINA_LONLAT = [
    (121.2, 53.3), (123.5, 53.6), (126.0, 52.8), (127.5, 50.2), (130.5, 48.9), (133.5, 48.2),
    (134.4, 48.5), (135.1, 48.5), (134.7, 47.7), (133.1, 45.1), (131.9, 45.3), (131.0, 44.8), (131.3, 43.4),
    (130.6, 42.4), (129.7, 42.9), (128.1, 42.0), (126.9, 41.8), (125.0, 40.5), (124.3, 39.9),
    (123.5, 38.5), (123.5, 37.0), (123.0, 31.0), (122.5, 29.5), (122.3, 25.6), (122.1, 21.8),
    (120.5, 21.6), (117.5, 22.3), (114.5, 21.5), (111.8, 17.8), (108.4, 17.8), (108.3, 21.5),
    (106.7, 22.0), (106.0, 22.9), (105.3, 23.3), (103.9, 22.5), (102.4, 22.5), (101.7, 21.1),
    (101.1, 21.5), (100.1, 21.5), (99.2, 22.1), (99.5, 23.1), (98.7, 24.0), (97.5, 23.9),
    (97.7, 25.0), (98.7, 27.5), (97.5, 28.3), (96.0, 29.4), (94.0, 29.0), (92.0, 27.8),
    (88.8, 27.2), (88.1, 27.9), (86.0, 27.9), (84.0, 28.5), (81.5, 30.2), (79.5, 30.9),
    (78.7, 31.5), (78.4, 32.6), (78.0, 35.5), (76.0, 35.8), (74.8, 37.0), (73.5, 38.5),
    (73.5, 39.5), (74.0, 40.2), (76.0, 40.5), (78.4, 41.4), (80.2, 42.2), (80.2, 43.9),
    (79.9, 44.9), (82.5, 45.2), (82.9, 47.0), (85.5, 47.1), (86.6, 48.5), (87.3, 49.1),
    (88.0, 48.6), (90.0, 47.9), (91.0, 46.6), (90.8, 45.3), (93.5, 44.9), (95.4, 44.3),
    (96.4, 42.7), (100.0, 42.6), (101.8, 42.5), (104.5, 41.9), (107.0, 42.3), (110.0, 42.6),
    (111.9, 43.7), (111.6, 45.0), (113.6, 44.7), (116.0, 45.7), (117.4, 46.6), (119.9, 46.7),
    (117.8, 47.9), (115.6, 47.9), (116.7, 49.8), (117.9, 49.5), (119.3, 50.3), (120.8, 52.5),
]  # fmt: skip
CHINA_OUTLINE = shapely.Polygon(_CHINA_LONLAT)
# Never shapely.prepare() a module-level geometry: a prepared geometry made in the thread that imported
# the plugin crashes GEOS when a Processing task thread uses it (seen in qgis_process).

#: First and last CGCS2000 3-degree Gauss–Krüger "CM" codes and their central meridians.
_GK_FIRST_EPSG, _GK_FIRST_CM, _GK_LAST_CM = 4534, 75, 135


def _as_crs(crs) -> pyproj.CRS | None:
    if crs is None:
        return None
    if isinstance(crs, pyproj.CRS):
        return crs
    try:
        return pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError:
        raise InputError(
            N_("{crs} is not a coordinate reference system GDAL/PROJ knows; give an EPSG code such as EPSG:4547."),
            crs=str(crs),
        ) from None


def describe_crs(crs) -> str:
    """A short label for messages: ``'EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E)'``."""
    crs = _as_crs(crs)
    if crs is None:
        return "no CRS"
    epsg = crs.to_epsg()
    return f"EPSG:{epsg} ({crs.name})" if epsg else crs.name


def is_geographic(crs) -> bool:
    """True for a geographic CRS (degrees of longitude and latitude), e.g. EPSG:4326 or EPSG:4490."""
    crs = _as_crs(crs)
    return bool(crs is not None and crs.is_geographic)


def in_china(lon: float, lat: float) -> bool:
    """True when (lon, lat) lies inside the coarse outline of China (:data:`CHINA_OUTLINE`)."""
    return bool(shapely.contains(CHINA_OUTLINE, shapely.Point(lon, lat)))


def gk_cgcs2000_epsg(lon: float) -> int:
    """EPSG code of the CGCS2000 3-degree Gauss–Krüger zone (CM variant) nearest to ``lon``.

    >>> gk_cgcs2000_epsg(114.2), gk_cgcs2000_epsg(75.0), gk_cgcs2000_epsg(134.9)
    (4547, 4534, 4554)
    """
    central_meridian = 3 * math.floor(lon / 3 + 0.5)
    central_meridian = min(max(central_meridian, _GK_FIRST_CM), _GK_LAST_CM)
    return _GK_FIRST_EPSG + (central_meridian - _GK_FIRST_CM) // 3


def utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the WGS 84 UTM zone at (lon, lat) (standard 6° zones, north 326xx, south 327xx).

    >>> utm_epsg(26.9, 60.5), utm_epsg(11.6, 49.98), utm_epsg(-58.4, -34.6)
    (32635, 32632, 32721)
    """
    zone = int(math.floor((lon + 180.0) / 6.0)) % 60 + 1
    return (32600 if lat >= 0 else 32700) + zone


def auto_metric_crs(lon: float, lat: float) -> pyproj.CRS:
    """The metric CRS for data centred at (lon, lat): CGCS2000 GK inside China, UTM elsewhere."""
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lat) > 90:
        raise InputError(
            N_("Cannot choose a metric CRS: the centre of the data ({lon}, {lat}) is not a valid longitude/latitude."),
            lon=lon,
            lat=lat,
        )
    lon = (lon + 180.0) % 360.0 - 180.0
    epsg = gk_cgcs2000_epsg(lon) if in_china(lon, lat) else utm_epsg(lon, lat)
    return pyproj.CRS.from_epsg(epsg)


def lonlat_centroid(frame) -> tuple[float, float]:
    """Centre (lon, lat) of a GeoDataFrame's total bounds, computed in WGS 84 / CGCS2000 degrees."""
    if frame.crs is None:
        raise InputError(N_("The layer has no coordinate reference system; assign one (e.g. EPSG:4326) first."))
    geometries = frame.geometry.values
    geometries = geometries[~shapely.is_empty(geometries) & ~shapely.is_missing(geometries)]
    if len(geometries) == 0:
        raise InputError(N_("Cannot choose a metric CRS for an empty layer."))
    minx, miny, maxx, maxy = shapely.total_bounds(geometries)
    transformer = pyproj.Transformer.from_crs(frame.crs, 4326, always_xy=True)
    xs = np.array([minx, maxx, minx, maxx, (minx + maxx) / 2])
    ys = np.array([miny, miny, maxy, maxy, (miny + maxy) / 2])
    lons, lats = transformer.transform(xs, ys)
    return float(lons[-1]), float(lats[-1])


def auto_metric_crs_for(frame) -> pyproj.CRS:
    """The automatic metric CRS (:func:`auto_metric_crs`) for the centre of ``frame``."""
    return auto_metric_crs(*lonlat_centroid(frame))


def resolve_target_crs(target_crs, frame=None, *, report: Report | None = None) -> pyproj.CRS:
    """The CRS to work in: the user's ``target_crs`` (checked) or the automatic one for ``frame``.

    Raises :class:`InputError` for a geographic or non-metre target: areas and distances must be in metres.
    """
    report = report or Report()
    crs = _as_crs(target_crs)
    if crs is None:
        if frame is None:
            raise InputError(N_("No target CRS given and no data to choose one from."))
        crs = auto_metric_crs_for(frame)
        report.info(N_("Chose the metric CRS {crs} automatically."), crs=describe_crs(crs))
        return crs
    if crs.is_geographic:
        raise InputError(
            N_(
                "The target CRS {crs} is geographic (degrees); areas and distances need metres. "
                "Choose a projected CRS such as a CGCS2000 Gauss-Kruger zone (EPSG:4534-4554) or UTM, "
                "or leave the target CRS empty to choose one automatically."
            ),
            crs=describe_crs(crs),
        )
    units = {axis.unit_name for axis in crs.axis_info}
    if units and not units <= {"metre", "meter", "m"}:
        raise InputError(
            N_("The target CRS {crs} is not in metres ({units}); choose a projected CRS in metres."),
            crs=describe_crs(crs),
            units=", ".join(sorted(units)),
        )
    return crs


def to_crs(frame, crs, *, name: str = "layer", report: Report | None = None):
    """Return ``frame`` in ``crs`` (a new frame; the input is never changed); say so when reprojecting."""
    report = report or Report()
    crs = _as_crs(crs)
    if frame.crs is None:
        raise InputError(
            N_("The layer {name} has no coordinate reference system; assign one (e.g. EPSG:4326) first."),
            name=name,
        )
    if pyproj.CRS.from_user_input(frame.crs).equals(crs):
        return frame.copy()
    if is_geographic(frame.crs):
        report.info(
            N_("The layer {name} is in the geographic CRS {source}; reprojected it to {target}."),
            name=name,
            source=describe_crs(frame.crs),
            target=describe_crs(crs),
        )
    else:
        report.info(
            N_("Reprojected the layer {name} from {source} to {target}."),
            name=name,
            source=describe_crs(frame.crs),
            target=describe_crs(crs),
        )
    return frame.to_crs(crs)


def to_metric(frame, *, name: str = "layer", report: Report | None = None):
    """``frame`` in a metric CRS: unchanged when already projected in metres, else the automatic CRS."""
    if frame.crs is not None and not is_geographic(frame.crs):
        return frame.copy()
    return to_crs(frame, auto_metric_crs_for(frame), name=name, report=report)


def check_same_crs(frames: Mapping[str, object], *, reproject_to=None, report: Report | None = None) -> dict:
    """Check that named layers share one CRS.

    With ``reproject_to=None`` a disagreement raises :class:`InputError` naming the layers and their
    CRSs. With a CRS, every layer is reprojected to it (and the log says which) instead.
    Returns the (possibly reprojected) frames by name.
    """
    report = report or Report()
    missing = [name for name, frame in frames.items() if frame.crs is None]
    if missing:
        raise InputError(
            N_("The layers {names} have no coordinate reference system; assign one first."),
            names=", ".join(missing),
        )
    if reproject_to is not None:
        return {name: to_crs(frame, reproject_to, name=name, report=report) for name, frame in frames.items()}
    crss = {name: pyproj.CRS.from_user_input(frame.crs) for name, frame in frames.items()}
    first_name, first = next(iter(crss.items()), (None, None))
    differing = [name for name, crs in crss.items() if not crs.equals(first)]
    if differing:
        raise InputError(
            N_(
                "The layers are in different CRSs ({details}); reproject them to one CRS "
                "or choose a target CRS so they are reprojected for you."
            ),
            details="; ".join(f"{name}: {describe_crs(crs)}" for name, crs in crss.items()),
        )
    return dict(frames)


def describe_crs_words(crs, lang: str = "zh") -> str:
    """The CRS in words for a map footer or a report, in Chinese (``lang="zh"``) or English.

    CGCS2000 Gauss–Krüger zones (3° and 6°, with or without the zone number in the easting), UTM, WGS 84,
    CGCS2000 and Web Mercator are spelled out; any other CRS is given by its name and code.

    >>> describe_crs_words("EPSG:4548")
    '2000国家大地坐标系 高斯-克吕格 3度带 中央经线 117°E (EPSG:4548)'
    >>> describe_crs_words(4526)
    '2000国家大地坐标系 高斯-克吕格 3度带 第38带 中央经线 114°E (EPSG:4526)'
    >>> describe_crs_words(4496)
    '2000国家大地坐标系 高斯-克吕格 6度带 第18带 中央经线 105°E (EPSG:4496)'
    >>> describe_crs_words(32650)
    'WGS 84 通用横轴墨卡托投影 第50带 北半球 (EPSG:32650)'
    >>> describe_crs_words(4548, lang="en")
    'CGCS2000 / Gauss-Kruger 3-degree zone, central meridian 117°E (EPSG:4548)'
    """
    zh = str(lang).lower().startswith("zh")
    crs = _as_crs(crs)
    if crs is None:
        return "未设置坐标系" if zh else "no CRS"
    epsg = crs.to_epsg()
    code = f" (EPSG:{epsg})" if epsg else ""
    cgcs = "2000国家大地坐标系" if zh else "CGCS2000"

    def gk(width: int, central: int, zone: int | None) -> str:
        if zh:
            zone_text = f" 第{zone}带" if zone else ""
            return f"{cgcs} 高斯-克吕格 {width}度带{zone_text} 中央经线 {central}°E{code}"
        zone_text = f" {zone}" if zone else ""
        return f"{cgcs} / Gauss-Kruger {width}-degree zone{zone_text}, central meridian {central}°E{code}"

    if epsg is not None:
        if 4534 <= epsg <= 4554:
            return gk(3, 75 + 3 * (epsg - 4534), None)
        if 4513 <= epsg <= 4533:
            return gk(3, 75 + 3 * (epsg - 4513), 25 + epsg - 4513)
        if 4491 <= epsg <= 4501:
            return gk(6, 75 + 6 * (epsg - 4491), 13 + epsg - 4491)
        if 4502 <= epsg <= 4512:
            return gk(6, 75 + 6 * (epsg - 4502), None)
        if 32601 <= epsg <= 32660 or 32701 <= epsg <= 32760:
            zone, north = epsg % 100, epsg < 32700
            if zh:
                return f"WGS 84 通用横轴墨卡托投影 第{zone}带 {'北' if north else '南'}半球{code}"
            return f"WGS 84 / UTM zone {zone}{'N' if north else 'S'}{code}"
        if epsg == 4326:
            return f"WGS 84 地理坐标系{code}" if zh else f"WGS 84 (longitude/latitude){code}"
        if epsg == 4490:
            return f"{cgcs} 地理坐标系{code}" if zh else f"{cgcs} (longitude/latitude){code}"
        if epsg == 3857:
            return f"网络墨卡托投影{code}" if zh else f"Web Mercator{code}"
    return f"{crs.name}{code}"


def local_time_zone(lon: float, lat: float):
    """The time zone to print times in for an area at (lon, lat), and its label.

    China uses Beijing time (Asia/Shanghai) everywhere; elsewhere the nominal zone of the longitude
    (UTC±h) is used, which is what a report needs without a time-zone database of borders.

    >>> local_time_zone(114.2, 22.7)[1]
    '北京时间'
    >>> local_time_zone(26.9, 60.5)[1]
    'UTC+2'
    """
    import datetime as _dt

    if in_china(lon, lat):
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo("Asia/Shanghai"), "北京时间"
        except Exception:  # noqa: BLE001 - no tz database: Beijing time has had no DST since 1991
            return _dt.timezone(_dt.timedelta(hours=8)), "北京时间"
    hours = int(round(((lon + 180.0) % 360.0 - 180.0) / 15.0))
    label = "UTC" if hours == 0 else f"UTC{hours:+d}"
    return _dt.timezone(_dt.timedelta(hours=hours)), label
