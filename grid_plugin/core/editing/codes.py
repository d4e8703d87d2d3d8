"""Codes for the grids an edit creates."""

from __future__ import annotations

import re

__all__ = ["next_codes"]

_TRAILING_DIGITS = re.compile(r"^(.*?)(\d+)$")


def next_codes(existing, base: str, n: int) -> list[str]:
    """``n`` new grid codes like ``base`` that are not in ``existing``.

    A code ending in digits continues its numbering at the same width after the highest code with the
    same prefix (``'370102001003'`` → ``'370102001012'`` when ``…011`` is the highest); other codes get a
    ``-2``, ``-3``… suffix.

    >>> next_codes({"A01", "A02", "A07"}, "A02", 2)
    ['A08', 'A09']
    >>> next_codes({"north"}, "north", 2)
    ['north-2', 'north-3']
    """
    existing = {str(c) for c in existing if c is not None}
    base = str(base)
    match = _TRAILING_DIGITS.match(base)
    result = []
    if match:
        prefix, digits = match.group(1), match.group(2)
        width = len(digits)
        numbers = [
            int(m.group(2))
            for c in existing
            if (m := _TRAILING_DIGITS.match(c)) and m.group(1) == prefix and len(m.group(2)) == width
        ]
        number = max(numbers + [int(digits)])
        while len(result) < n:
            number += 1
            code = f"{prefix}{number:0{width}d}"
            if code not in existing:
                result.append(code)
        return result
    suffix = 1
    while len(result) < n:
        suffix += 1
        code = f"{base}-{suffix}"
        if code not in existing:
            result.append(code)
    return result
