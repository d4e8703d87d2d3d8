"""Errors and messages of the engine, written for people and translatable without Qt.

The core raises :class:`GridPlannerError` with an English *template* marked by :func:`N_` and named
parameters. ``str(error)`` gives the English sentence; the QGIS side translates the template with
``grid_plugin.i18n.tr_message(error.template, error.params)``.

Examples
--------
>>> err = InputError(N_("The layer {name} has no features."), name="buildings")
>>> str(err)
'The layer buildings has no features.'
"""

from __future__ import annotations

__all__ = ["N_", "Term", "GridPlannerError", "InputError", "Cancelled", "Warning_", "Report"]


def N_(template: str) -> str:  # noqa: N802 - gettext convention
    """Mark ``template`` for translation without translating it (the core has no Qt)."""
    return template


class Term(str):
    """A parameter of a message that is itself translated (``Term(N_("points"))``), not a name or a value."""


class GridPlannerError(Exception):
    """A problem the user can act on: what is wrong, why, and what to do."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The English sentence with parameters filled in."""
        try:
            return self.template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.template


class InputError(GridPlannerError):
    """Bad input: a wrong CRS, an empty layer, a missing field, an impossible target."""


class Cancelled(GridPlannerError):
    """The user cancelled the run; nothing was written."""

    def __init__(self, template: str = N_("The run was cancelled; nothing was written."), **params):
        super().__init__(template, **params)


class Warning_:  # noqa: N801 - not the builtin Warning
    """A warning for the log: a translatable template and its parameters."""

    __slots__ = ("template", "params")

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params

    @property
    def message(self) -> str:
        """The English sentence with parameters filled in."""
        try:
            return self.template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.template

    def __repr__(self) -> str:
        return f"Warning_({self.message!r})"


class Report:
    """Progress, cancellation and warnings passed from the QGIS side into the engine.

    The core calls ``report.progress(percent)``, ``report.warn(N_("..."), **params)`` and
    ``report.check_cancelled()``; the processing glue subclasses it to forward to ``QgsFeedback``.
    The default does nothing but collect warnings, so the core runs unchanged in plain Python.
    """

    def __init__(self):
        self.warnings: list[Warning_] = []

    def progress(self, percent: float) -> None:
        """Report progress in percent (0–100)."""

    def info(self, template: str, **params) -> None:
        """Report an informative line (a summary, a count)."""

    def warn(self, template: str, **params) -> None:
        """Record a warning the user should read (a repaired geometry, a dropped row)."""
        self.warnings.append(Warning_(template, **params))

    def is_cancelled(self) -> bool:
        """True when the user asked to stop."""
        return False

    def check_cancelled(self) -> None:
        """Raise :class:`Cancelled` when the user asked to stop."""
        if self.is_cancelled():
            raise Cancelled()
