"""The rural-context parameters shared by partitionbytype and classify: the same keys and defaults."""

from __future__ import annotations

from qgis.core import QgsProcessingParameterDefinition, QgsProcessingParameterField, QgsProcessingParameterNumber

from ..grid_plugin.core.classify.context import ContextSettings
from ..grid_plugin.i18n import tr

UR_CODE_FIELD = "UR_CODE_FIELD"
CONTEXT_DISTANCE = "CONTEXT_DISTANCE_M"
CONTEXT_MIN_OPEN = "CONTEXT_MIN_OPEN_SHARE"
CONTEXT_MAX_URBAN = "CONTEXT_MAX_URBAN_SHARE"
_DEFAULTS = ContextSettings()


def _advanced(parameter):
    parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
    return parameter


def add_context_parameters(algorithm, parent_parameter: str) -> None:
    """The 城乡分类代码 field of the parents and the surroundings test (advanced)."""
    algorithm.addParameter(
        QgsProcessingParameterField(
            UR_CODE_FIELD,
            tr("Urban-rural code field of the parents (城乡分类代码: 1xx urban, 2xx rural)"),
            parentLayerParameterName=parent_parameter,
            optional=True,
        )
    )
    for key, label, value, maximum in (
        (CONTEXT_DISTANCE, tr("Village surroundings: ring width (m)"), _DEFAULTS.distance_m, None),
        (CONTEXT_MIN_OPEN, tr("Village surroundings: least open share (0-1)"), _DEFAULTS.min_open_share, 1.0),
        (CONTEXT_MAX_URBAN, tr("Village surroundings: most urban land share (0-1)"), _DEFAULTS.max_urban_share, 1.0),
    ):
        parameter = QgsProcessingParameterNumber(
            key, label, QgsProcessingParameterNumber.Type.Double, value, minValue=0.0
        )
        if maximum is not None:
            parameter.setMaximum(maximum)
        algorithm.addParameter(_advanced(parameter))


def context_settings(algorithm, parameters, context) -> ContextSettings:
    """The surroundings test's settings from the parameters."""
    return ContextSettings(
        distance_m=algorithm.parameterAsDouble(parameters, CONTEXT_DISTANCE, context),
        min_open_share=algorithm.parameterAsDouble(parameters, CONTEXT_MIN_OPEN, context),
        max_urban_share=algorithm.parameterAsDouble(parameters, CONTEXT_MAX_URBAN, context),
    )


def ur_code_field(algorithm, parameters, context) -> str | None:
    """The chosen 城乡分类代码 field, or None."""
    return algorithm.parameterAsString(parameters, UR_CODE_FIELD, context) or None
