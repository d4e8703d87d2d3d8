"""The grid types of 网格化管理 (grid management): stable codes, Chinese and English labels, one palette.

Every part of Grid Planner that names a grid type uses this module: the classifier writes the codes,
partition difference rules and assessment reports read them, exported maps colour them, and
``styles/grid_types.qml`` is generated from it (``scripts/make_grid_types_style.py``), so the legend,
the palette and the codes never disagree.

The order of :data:`GRID_TYPES` is the legend order: urban types first (residential, commercial,
enterprise and institution, crowded place), then the urban–rural fringe (village, industrial park),
then the open land (farmland, forest, pond and water, mountain, tidal flat, scenic area), and last the
two catch-alls (``mixed`` where no class dominates, ``unknown`` where the evidence was missing).

Examples
--------
>>> grid_type("village").zh
'村庄网格'
>>> label("forest"), label("forest", lang="en")
('林地网格', 'Forest')
>>> [t.code for t in GRID_TYPES][:3]
['residential', 'commercial', 'enterprise']
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GridType", "GRID_TYPES", "GRID_TYPE_CODES", "GRID_TYPES_BY_CODE", "grid_type", "label", "is_grid_type"]


@dataclass(frozen=True)
class GridType:
    """One grid type.

    Attributes
    ----------
    code : str
        Stable machine code (ASCII, lowercase), stored in the ``grid_type`` field.
    zh : str
        Chinese label (legend, ``grid_type_zh``).
    en : str
        English label (``grid_type_en``).
    color : str
        Fill colour as ``#rrggbb``, the one palette used by styles and exported maps.
    """

    code: str
    zh: str
    en: str
    color: str


# The palette follows the colour conventions planners know from Chinese land-use plans (residential
# yellow, commercial red, public institutions magenta, industry brown, farmland pale green, forest dark
# green, water blue) and keeps every pair clearly distinguishable on screen and in print.
GRID_TYPES: tuple[GridType, ...] = (
    GridType("residential", "住宅网格", "Residential", "#f6d55c"),
    GridType("commercial", "商务网格", "Commercial and business", "#e3342f"),
    GridType("enterprise", "企事业单位网格", "Enterprise and institution", "#d46fb4"),
    GridType("crowded", "人员密集场所网格", "Crowded place", "#8e3c9e"),
    GridType("village", "村庄网格", "Village", "#e59a4f"),
    GridType("industrial", "产业园区网格", "Industrial park", "#a0785a"),
    GridType("farmland", "农田网格", "Farmland", "#d4e99a"),
    GridType("forest", "林地网格", "Forest", "#2e7d32"),
    GridType("water", "坑塘水面网格", "Pond and water", "#4fa3e0"),
    GridType("mountain", "山地网格", "Mountain", "#7b6f8e"),
    GridType("tidal_flat", "滩涂网格", "Tidal flat", "#b9dfe3"),
    GridType("scenic", "景区网格", "Scenic area", "#3fb8a0"),
    GridType("mixed", "混合网格", "Mixed", "#b0b0b0"),
    GridType("unknown", "未知", "Unknown", "#efefef"),
)

GRID_TYPE_CODES: tuple[str, ...] = tuple(t.code for t in GRID_TYPES)
GRID_TYPES_BY_CODE: dict[str, GridType] = {t.code: t for t in GRID_TYPES}


def is_grid_type(code: str) -> bool:
    """True when ``code`` is one of the stable grid type codes."""
    return code in GRID_TYPES_BY_CODE


def grid_type(code: str) -> GridType:
    """The :class:`GridType` for ``code``.

    Raises
    ------
    KeyError
        When ``code`` is not a grid type code; the message lists the valid codes.
    """
    try:
        return GRID_TYPES_BY_CODE[code]
    except KeyError:
        raise KeyError(f"{code!r} is not a grid type; valid codes: {', '.join(GRID_TYPE_CODES)}") from None


def label(code: str, lang: str = "zh") -> str:
    """The label of grid type ``code`` in ``lang`` (``"zh"``, the default, or ``"en"``).

    Any language other than Chinese (``zh``, ``zh_CN``, ``zh-Hans`` …) gets the English label.
    """
    t = grid_type(code)
    return t.zh if str(lang).lower().startswith("zh") else t.en
