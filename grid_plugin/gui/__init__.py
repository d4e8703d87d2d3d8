"""The desktop UI: dock panels and map tools that call the same engine as the algorithms."""
