"""Publishing helpers without QGIS: boundary descriptions (四至) and office registers."""
