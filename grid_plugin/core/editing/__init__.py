"""The editing engine behind the desktop panel: reassign, split, merge, rebalance with live loads."""
