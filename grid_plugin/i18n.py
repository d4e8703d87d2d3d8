"""Translation for every user-facing string: one Qt context, ``GridPlanner``.

Strings are marked with :func:`tr` in QGIS-side code. The Qt-free core cannot call Qt, so it marks
its messages with :func:`grid_plugin.core.errors.N_` and the QGIS side translates them through
:func:`tr_message`. ``scripts/i18n.py`` extracts both kinds of marks into ``i18n/gridplanner_zh_CN.ts``.
"""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

CONTEXT = "GridPlanner"
I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"
_translators: list[QTranslator] = []  # keep references: Qt does not own them


def tr(text: str) -> str:
    """Translate ``text`` in the plugin's context."""
    return QCoreApplication.translate(CONTEXT, text)


def tr_message(template: str, params: dict | None = None) -> str:
    """Translate a core message template, then fill in its named parameters."""
    translated = tr(template)
    if not params:
        return translated
    from .core.errors import Term

    params = {key: tr(value) if isinstance(value, Term) else value for key, value in params.items()}
    try:
        return translated.format(**params)
    except (KeyError, IndexError, ValueError):
        # A broken translation must never hide the message: fall back to English.
        return template.format(**params)


def message_in(template: str, params: dict | None = None, lang: str | None = None) -> str:
    """A core message in ``lang`` ("zh" or "en"), whatever translator Qt has loaded; None: Qt's (the QGIS locale).

    Headless runs (qgis_process) load no translator unless LANG says Chinese, so an output's text
    (``rule_text``, ``flag_reason``, the log) follows the algorithm's LANGUAGE parameter through this.
    """
    from .core.assess.report import localize_params, translate

    if lang is None:
        return tr_message(template, localize_params(params, locale_language()) if params else params)

    return translate(template, params or {}, "zh" if str(lang).lower().startswith("zh") else "en")


def template_in(template: str, lang: str | None = None) -> str:
    """A template translated into ``lang`` but not filled in (for callers that format it themselves)."""
    if lang is None:
        return tr(template)
    from .core.assess.report import translate_template

    return translate_template(template, "zh" if str(lang).lower().startswith("zh") else "en")


def locale_language() -> str:
    """``"zh"`` when QGIS runs in Chinese, else ``"en"``."""
    return "zh" if user_locale().lower().startswith("zh") else "en"


def user_locale() -> str:
    """The locale QGIS runs in, e.g. ``zh_CN`` or ``en_US``."""
    settings = QSettings()
    if settings.value("locale/overrideFlag", False, type=bool):
        value = settings.value("locale/userLocale", "", type=str)
        if value:
            return value
    value = settings.value("locale/userLocale", "", type=str)
    return value or QLocale.system().name()


def install_translator(locale: str | None = None) -> bool:
    """Load the ``.qm`` file for ``locale`` (default: the QGIS locale). Return True if loaded."""
    locale = locale or user_locale()
    candidates = [locale, locale.split("_")[0]]
    if locale.startswith("zh") and "zh_CN" not in candidates:
        candidates.append("zh_CN")
    for candidate in candidates:
        qm_path = I18N_DIR / f"gridplanner_{candidate}.qm"
        if qm_path.exists():
            translator = QTranslator()
            if translator.load(str(qm_path)):
                QCoreApplication.installTranslator(translator)
                _translators.append(translator)
                return True
    return False


def remove_translators() -> None:
    """Uninstall the translators this module installed."""
    while _translators:
        QCoreApplication.removeTranslator(_translators.pop())
