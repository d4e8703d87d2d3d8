"""Where the plugin's shipped files live, resolved from this file (never from the working directory)."""

from pathlib import Path

__all__ = ["PLUGIN_ROOT", "MAPPINGS_DIR", "I18N_DIR", "STYLES_DIR", "CORE_DIR"]

CORE_DIR = Path(__file__).resolve().parent
PLUGIN_ROOT = CORE_DIR.parent.parent
MAPPINGS_DIR = CORE_DIR.parent / "mappings"
I18N_DIR = PLUGIN_ROOT / "i18n"
STYLES_DIR = PLUGIN_ROOT / "styles"
