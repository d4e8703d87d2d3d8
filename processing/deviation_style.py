"""The deviation style of grid outputs, with its bands at the run's tolerance (±t, ±2t) and translated labels.

``styles/grids_deviation.qml`` holds the symbols (five classes: far below, below, within, above, far
above); the class limits and labels are set from the tolerance of the run when QGIS loads the output,
so a ±10 % run is not coloured with ±20 % bands.
"""

from __future__ import annotations

from qgis.core import QgsGraduatedSymbolRenderer

from ..grid_plugin.i18n import tr
from .base import _POST_PROCESSORS, StylePostProcessor

__all__ = ["DEVIATION_QML", "deviation_bands", "apply_deviation_bands", "style_deviation_output"]

DEVIATION_QML = "grids_deviation.qml"
#: Beyond every plausible deviation (the outer classes are open-ended).
_FAR = 1_000_000_000.0


def _pct(value: float) -> str:
    return f"{value:g}"


def deviation_bands(tolerance: float) -> list[tuple[float, float, str]]:
    """(lower %, upper %, label) of the five classes for a relative ``tolerance`` (0.2 = ±20 %)."""
    single = round(float(tolerance) * 100.0, 6)
    double = 2 * single
    s, d = _pct(single), _pct(double)
    return [
        (-_FAR, -double, tr("< −{double}% (far below the target)").format(double=d)),
        (-double, -single, tr("−{double}% … −{single}% (below the tolerance)").format(double=d, single=s)),
        (-single, single, tr("−{single}% … +{single}% (within the tolerance)").format(single=s)),
        (single, double, tr("+{single}% … +{double}% (above the tolerance)").format(double=d, single=s)),
        (double, _FAR, tr("> +{double}% (far above the target)").format(double=d)),
    ]


def apply_deviation_bands(layer, tolerance: float) -> bool:
    """Set the class limits and labels of ``layer``'s graduated renderer; False when it has none of 5 classes."""
    renderer = layer.renderer()
    if not isinstance(renderer, QgsGraduatedSymbolRenderer) or len(renderer.ranges()) != 5:
        return False
    for index, (lower, upper, label) in enumerate(deviation_bands(tolerance)):
        # widen first, so a new lower limit never passes the old upper one
        renderer.updateRangeUpperValue(index, max(upper, renderer.ranges()[index].upperValue()))
        renderer.updateRangeLowerValue(index, lower)
        renderer.updateRangeUpperValue(index, upper)
        renderer.updateRangeLabel(index, label)
    layer.triggerRepaint()
    return True


class DeviationStylePostProcessor(StylePostProcessor):
    """The deviation style, then the bands of the run's tolerance."""

    def __init__(self, tolerance: float, layer_name=None, aliases=None):
        super().__init__(DEVIATION_QML, layer_name, aliases)
        self.tolerance = tolerance

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        """Load the style, name the layer, set the bands."""
        super().postProcessLayer(layer, context, feedback)
        apply_deviation_bands(layer, self.tolerance)


def style_deviation_output(context, layer_id: str, tolerance: float, layer_name=None, aliases=None) -> None:
    """Style ``layer_id`` with the deviation bands of ``tolerance`` when QGIS loads it."""
    if not layer_id or not context.willLoadLayerOnCompletion(layer_id):
        return
    processor = DeviationStylePostProcessor(tolerance, layer_name, aliases)
    _POST_PROCESSORS.append(processor)
    context.layerToLoadOnCompletionDetails(layer_id).setPostProcessor(processor)
