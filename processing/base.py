"""The base class every Grid Planner algorithm shares: translation, errors, feedback, styles."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsFeatureRequest,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
)

from ..grid_plugin.core.errors import N_, Cancelled, GridPlannerError, Report
from ..grid_plugin.core.inputs import clean_geometries, numeric_values
from ..grid_plugin.i18n import locale_language, message_in, tr

STYLES_DIR = Path(__file__).resolve().parent.parent / "styles"

#: Chinese aliases of the grid fields every grid-writing algorithm shares (one wording everywhere).
GRID_FIELD_ALIASES = {
    "grid_id": "网格序号",
    "grid_code": "网格编码",
    "parent_code": "上级编码",
    "n_buildings": "建筑数",
    "area_m2": "面积(平方米)",
    "deviation_pct": "偏差(%)",
    "polsby_popper": "紧凑度",
    "flag": "标记",
    "flag_reason": "标记原因",
}

#: Keep post-processors alive: sip would otherwise delete them before QGIS calls them.
_POST_PROCESSORS: list = []


class FeedbackReport(Report):
    """Forward the engine's progress, messages and cancellation checks to a QgsProcessingFeedback."""

    def __init__(self, feedback, lang: str | None = None):
        super().__init__()
        self.feedback = feedback
        #: "zh"/"en" to log in that language (the LANGUAGE parameter); None follows the QGIS locale.
        self.lang = lang

    def progress(self, percent: float) -> None:
        """Set the progress bar."""
        if self.feedback is not None:
            self.feedback.setProgress(max(0.0, min(100.0, float(percent))))

    def info(self, template: str, **params) -> None:
        """Push an informative line to the log."""
        if self.feedback is not None:
            self.feedback.pushInfo(message_in(template, params, self.lang))

    def warn(self, template: str, **params) -> None:
        """Push a warning to the log and keep it."""
        super().warn(template, **params)
        if self.feedback is not None:
            self.feedback.pushWarning(message_in(template, params, self.lang))

    def is_cancelled(self) -> bool:
        """True when the user pressed Cancel."""
        return self.feedback is not None and self.feedback.isCanceled()


class StylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Apply a shipped ``.qml``, a layer name and Chinese field aliases once QGIS has loaded an output.

    Aliases set on a sink's fields do not survive every provider (memory layers, Shapefiles, and
    GeoPackages in QGIS 3.22), so they are set again on the layer QGIS loads.
    """

    def __init__(self, qml_name: str = "", layer_name: str | None = None, aliases: dict | None = None):
        super().__init__()
        self.qml_name = qml_name
        self.layer_name = layer_name
        self.aliases = dict(aliases or {})

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        """Load the style, name the layer, set the aliases; a failure warns and never fails the run."""
        if self.qml_name:
            path = STYLES_DIR / self.qml_name
            message, ok = layer.loadNamedStyle(str(path))
            if not ok and feedback is not None:
                feedback.reportError(
                    tr("Could not apply the style {name}: {reason}").format(name=self.qml_name, reason=message)
                )
        if self.layer_name:
            layer.setName(self.layer_name)
        for name, alias in self.aliases.items():
            index = layer.fields().lookupField(name)
            if index >= 0:
                layer.setFieldAlias(index, alias)
        layer.triggerRepaint()


def style_output(
    context, layer_id: str, qml_name: str = "", layer_name: str | None = None, aliases: dict | None = None
) -> None:
    """Ask QGIS to style ``layer_id`` with ``styles/qml_name`` (and name it, alias its fields) when loaded."""
    if not layer_id or not context.willLoadLayerOnCompletion(layer_id):
        return
    processor = StylePostProcessor(qml_name, layer_name, aliases)
    _POST_PROCESSORS.append(processor)
    context.layerToLoadOnCompletionDetails(layer_id).setPostProcessor(processor)


class GridPlannerAlgorithm(QgsProcessingAlgorithm):
    """Shared boilerplate: subclasses implement ``initAlgorithm`` and :meth:`work`."""

    #: Subclasses set these; ``name()`` is the id after ``gridplanner:``.
    NAME = ""
    DISPLAY_NAME = ""
    GROUP_ID = "grids"
    GROUP = "Grids"
    SHORT_HELP = ""

    def tr(self, text: str) -> str:
        """Translate ``text`` in the plugin's context."""
        return tr(text)

    def createInstance(self):  # noqa: N802
        """Return a new instance of this algorithm."""
        return self.__class__()

    def name(self):
        """The algorithm id (never translated)."""
        return self.NAME

    def displayName(self):  # noqa: N802
        """The translated name shown in the toolbox."""
        return tr(self.DISPLAY_NAME)

    def groupId(self):  # noqa: N802
        """The group id (never translated)."""
        return self.GROUP_ID

    def group(self):
        """The translated group name."""
        return tr(self.GROUP)

    def shortHelpString(self):  # noqa: N802
        """The translated help shown beside the dialog."""
        return tr(self.SHORT_HELP)

    #: Languages of the LANGUAGE parameter's options, in order ("auto": the QGIS locale).
    LANGUAGES = ("auto", "zh", "en")

    def output_language(self, parameters, context) -> str | None:
        """``"zh"``/``"en"`` from the LANGUAGE parameter (the QGIS locale for "auto"); None without one."""
        if self.parameterDefinition("LANGUAGE") is None:
            return None
        choice = self.LANGUAGES[self.parameterAsEnum(parameters, "LANGUAGE", context)]
        return locale_language() if choice == "auto" else choice

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        """Guard the run, then :meth:`work`; engine errors become translated QgsProcessingExceptions.

        Before any work: no output may replace an input's file, output folders must be writable, layers
        must have the geometry type their parameter asks for (:mod:`processing.guards`). Feature outputs
        to plain files are written under a temporary name and renamed when the run succeeds, so a
        failure or a cancel leaves the previous file intact.
        """
        from .guards import prepare_run

        lang = self.output_language(parameters, context)
        report = FeedbackReport(feedback, lang)
        staged = None
        # The algorithms repair invalid polygons themselves and count them (grid_plugin.core.inputs): QGIS's
        # own check would stop the run, or silently skip the features, before they could.
        geometry_check = context.invalidGeometryCheck()
        context.setInvalidGeometryCheck(QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck)
        try:
            parameters, staged = prepare_run(self, parameters, context, report)
            results = self.work(parameters, context, feedback, report)
            if feedback is not None and feedback.isCanceled():
                raise Cancelled()
            return staged.commit(results or {}, context)
        except GridPlannerError as error:  # Cancelled included
            if staged is not None:
                staged.discard()
            raise QgsProcessingException(message_in(error.template, error.params, lang)) from None
        except QgsProcessingException:
            if staged is not None:
                staged.discard()
            raise
        except Exception as error:  # noqa: BLE001 - a bug must still end with a sentence, not a traceback
            if staged is not None:
                staged.discard()
            import traceback

            if feedback is not None:
                feedback.pushDebugInfo(traceback.format_exc())
            raise QgsProcessingException(
                message_in(
                    N_(
                        "Unexpected error ({kind}: {reason}); nothing was written. Please report it with the "
                        "log and the inputs."
                    ),
                    {"kind": type(error).__name__, "reason": str(error)},
                    lang,
                )
            ) from None
        finally:
            context.setInvalidGeometryCheck(geometry_check)

    def derived_output_paths(self, parameters, context) -> list:
        """Files the algorithm writes beside its declared outputs (a PDF beside the HTML); guarded too."""
        return []

    def work(self, parameters, context, feedback, report: FeedbackReport) -> dict:
        """Do the work; raise GridPlannerError for problems the user can fix.

        (Not ``run``: ``QgsProcessingAlgorithm.run`` is what ``processing.run`` calls.)
        """
        raise NotImplementedError

    def parameter_label(self, key: str) -> str:
        """The (translated) description of the parameter ``key``: how messages name a layer."""
        definition = self.parameterDefinition(key)
        return definition.description() if definition is not None else key.lower()


def checked_frame(algorithm, key: str, frame, report):
    """``frame`` read from the parameter ``key`` with null/empty geometries left out and invalid polygons
    repaired, both counted in warnings (:func:`grid_plugin.core.inputs.clean_geometries`)."""
    if frame is None or not len(frame):
        return frame
    return clean_geometries(frame, algorithm.parameter_label(key), report)


def checked_numbers(algorithm, key: str, frame, field: str | None, report, *, required: bool = True, **options):
    """A copy of ``frame`` whose ``field`` holds checked floats (:func:`grid_plugin.core.inputs.numeric_values`).

    NULL counts as 0 (warned); text that is not a number, negative or huge values are refused. When the
    field is absent: refused if ``required``, else ``frame`` unchanged.
    """
    if frame is None or not field or (not required and field not in frame.columns):
        return frame
    values = numeric_values(frame, field, algorithm.parameter_label(key), report, **options)
    frame = frame.copy()
    frame[field] = values
    return frame


def language_parameter(name: str = "LANGUAGE"):
    """The language of an algorithm's texts and log: the QGIS locale (default), Chinese or English."""
    from qgis.core import QgsProcessingParameterEnum

    return QgsProcessingParameterEnum(
        name,
        tr("Language of texts and log"),
        options=[tr("As QGIS (locale)"), tr("Chinese (中文)"), tr("English")],
        defaultValue=0,
    )


NO_BARRIERS_DESIGN = N_(
    "No barrier lines: grid edges will not follow roads, rivers or railways. Give the barrier layers "
    "(roads, waterways, railways): tick them all in the dialog, or with qgis_process repeat BARRIERS=… "
    "once per layer (or merge them first with native:mergevectorlayers)."
)
NO_BARRIERS_ASSESS = N_(
    "No barrier lines: the convenience principle (grid edges along roads, rivers and railways) is not "
    "measured. Give the barrier layer (roads, waterways, railways; merge several with "
    "native:mergevectorlayers)."
)
EMPTY_BARRIERS = N_(
    "The barrier layer(s) {names} have no features: no barrier lines arrived. Check the layer, its "
    "filter and its extent."
)
UNLOADED_BARRIERS = N_(
    "{missing} of the {given} barrier layers given could not be loaded; check their paths and layer names."
)
BARRIERS_USED = N_("Barrier lines: {n} from {layers} layer(s).")


def report_barriers(report: Report, counts: list[tuple[str, int]], purpose: str = "design", n_given: int | None = None):
    """Say loudly when no barrier lines arrive, and how many did.

    ``counts`` holds ``(layer name, number of features)`` for each barrier layer that loaded; ``n_given`` is the
    number of layers the caller passed (when known), so layers that failed to load are reported too.
    A partition without barriers still runs, but its grids cross expressways and rivers: that must
    never happen silently (a 3.22 ``qgis_process`` can drop repeated keys, a filter can empty a layer).
    Returns the total number of barrier lines.
    """
    total = int(sum(count for _name, count in counts))
    if n_given is not None and n_given > len(counts):
        report.warn(UNLOADED_BARRIERS, missing=n_given - len(counts), given=n_given)
    if total == 0:
        empty = [name for name, count in counts if count == 0]
        if empty:
            report.warn(EMPTY_BARRIERS, names=", ".join(empty))
        report.warn(NO_BARRIERS_DESIGN if purpose == "design" else NO_BARRIERS_ASSESS)
    else:
        report.info(BARRIERS_USED, n=total, layers=len(counts))
    return total


def layer_label(layer) -> str:
    """A layer's name, with its layer inside the file when that differs (``town (roads)``)."""
    from qgis.core import QgsProviderRegistry

    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    inner = parts.get("layerName") or ""
    return f"{layer.name()} ({inner})" if inner and inner != layer.name() else layer.name()


def given_layer_count(parameters: dict, key: str) -> int:
    """How many layers the caller passed for a (multi-)layer parameter, before QGIS resolves them."""
    value = parameters.get(key)
    if value is None or value == "":
        return 0
    if isinstance(value, (list, tuple)):
        return len([item for item in value if item not in (None, "")])
    return 1


def numeric_field_parameter(name: str, description: str, parent: str, default: str | None = None):
    """An optional numeric field parameter of the layer ``parent`` (loads, weights, households)."""
    from qgis.core import QgsProcessingParameterField

    return QgsProcessingParameterField(
        name,
        description,
        defaultValue=default,
        parentLayerParameterName=parent,
        type=QgsProcessingParameterField.DataType.Numeric,
        optional=True,
    )


def target_load_parameter(name: str, description: str | None = None):
    """The target load per grid (households), default 400, shared by every algorithm that balances."""
    from qgis.core import QgsProcessingParameterNumber

    return QgsProcessingParameterNumber(
        name,
        description or tr("Target households per grid"),
        QgsProcessingParameterNumber.Type.Double,
        400,
        minValue=0.001,
    )


def tolerance_parameter(name: str):
    """The balance tolerance as a share of the target (0.2 = ±20%)."""
    from qgis.core import QgsProcessingParameterNumber

    return QgsProcessingParameterNumber(
        name,
        tr("Tolerance (share of the target, 0.2 = ±20%)"),
        QgsProcessingParameterNumber.Type.Double,
        0.2,
        minValue=0.0,
        maxValue=0.99,
    )


#: Keys of the shared code parameters (every code-writing algorithm uses these names).
COUNTY, TOWNSHIP, COMMUNITY = "COUNTY", "TOWNSHIP", "COMMUNITY"


def add_code_parameters(algorithm, keys=(COUNTY, TOWNSHIP, COMMUNITY)) -> None:
    """Add the county, township and community code parameters (one wording and default everywhere).

    They complete parent codes shorter than 12 digits and code the grids where there is no parent
    field (``grid_plugin.core.partition.coding``); a 12-digit parent code wins over them.
    """
    from qgis.core import QgsProcessingParameterString

    labels = {
        COUNTY: (tr("County code (6 digits, GB/T 2260, e.g. 440307)"), "000000"),
        TOWNSHIP: (tr("Township or subdistrict code (3 digits, e.g. 015)"), "000"),
        COMMUNITY: (tr("Community or village code where there is no parent code (3 digits)"), "001"),
    }
    for key in keys:
        label, default = labels[key]
        algorithm.addParameter(QgsProcessingParameterString(key, label, defaultValue=default))


def code_parts(algorithm, parameters, context) -> tuple[str, str, str]:
    """The county, township and community codes given (defaults where a parameter is absent), checked."""
    from ..grid_plugin.core.partition.coding import check_code_parts

    defaults = {COUNTY: "000000", TOWNSHIP: "000", COMMUNITY: "001"}
    values = []
    for key, default in defaults.items():
        defined = algorithm.parameterDefinition(key) is not None
        text = algorithm.parameterAsString(parameters, key, context) if defined else ""
        values.append((text or default).strip())
    return check_code_parts(*values)
