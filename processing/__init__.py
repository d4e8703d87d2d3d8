"""Processing glue of Grid Planner.

Import this package only as ``gridplanner.processing`` (or relatively): QGIS ships a top-level
package named ``processing`` and ours must never shadow it.
"""
