"""Plan assessment: one set of metrics, validation, the four-principle scorecard, plan comparison, the report."""
