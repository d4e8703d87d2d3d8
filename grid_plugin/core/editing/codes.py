"""Codes for the grids an edit creates."""

from __future__ import annotations

import re

from ..partition.coding import CODE_DIGITS, PARENT_DIGITS

__all__ = ["next_codes"]

_TRAILING_DIGITS = re.compile(r"^(.*?)(\d+)$")


def next_codes(existing, base: str, n: int) -> list[str]:
    """``n`` new grid codes like ``base`` that are not in ``existing``.

    A 15-digit grid code (:mod:`grid_plugin.core.partition.coding`: 12-digit parent + 3-digit serial)
    gets the next serials under its own 12-digit parent, above every serial used there. Another code
    ending in digits continues its numbering at the same width after the highest code with the same
    prefix (``'370102001003'`` → ``'370102001012'`` when ``…011`` is the highest); other codes get a
    ``-2``, ``-3``… suffix.

    >>> next_codes({"440307015001003", "440307015001011", "440307015002020"}, "440307015001003", 2)
    ['440307015001012', '440307015001013']
    >>> next_codes({"A01", "A02", "A07"}, "A02", 2)
    ['A08', 'A09']
    >>> next_codes({"north"}, "north", 2)
    ['north-2', 'north-3']
    """
    existing = {str(c) for c in existing if c is not None}
    base = str(base)
    match = _split(base)
    result = []
    if match:
        prefix, digits = match
        width = len(digits)
        numbers = [int(m[1]) for c in existing if (m := _split(c)) and m[0] == prefix and len(m[1]) == width]
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


def _split(code: str):
    """(prefix, serial digits): a 15-digit grid code splits after its 12-digit parent, others before their
    trailing digits; None without trailing digits."""
    if code.isdigit() and len(code) == CODE_DIGITS:
        return code[:PARENT_DIGITS], code[PARENT_DIGITS:]
    match = _TRAILING_DIGITS.match(code)
    return (match.group(1), match.group(2)) if match else None
