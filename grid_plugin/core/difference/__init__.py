"""The difference principle (差异性): specialised sites, natural villages and open land by an editable rule table."""
