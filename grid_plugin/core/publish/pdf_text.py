"""Make the text of a Qt-written PDF searchable: CJK ideographs instead of the radicals that share their glyph.

Why: a PDF keeps, per embedded font, a ``ToUnicode`` map from glyph to character so that search,
copy-paste, ``pdftotext`` and screen readers get text back. Qt's PDF engine (which QGIS layouts export
through) builds that map by walking the font's character map from U+0000 upward and keeping the *first*
character that reaches each glyph. CJK fonts such as Noto Sans CJK draw the Kangxi radical ⽹ (U+2F79) and
the ideograph 网 (U+7F51) with one glyph, and the radical comes first, so the map says ⽹ where the page
shows 网 (likewise ⽉ for 月, ⻰ for 龙). The drawing is right; only the text behind it is wrong.

The fix rewrites, in the finished PDF, every ``ToUnicode`` target that shares its glyph with a unified
ideograph into that ideograph. Which characters share a glyph is read from the embedded font's own file
(found by its PostScript name through fontconfig, read with fontTools): a Simplified Chinese font draws
the radical ⼾ with 户's glyph, a Traditional one with 戶's, so a fixed table cannot know. Among several
ideographs on one glyph the one in GB 2312 wins (the map's text is Simplified Chinese). When the font
file cannot be found, Unicode's ``EquivalentUnifiedIdeograph.txt`` (embedded below) is used instead. A
radical written on purpose would also become its ideograph; a grid map never writes one. Qt writes these maps
uncompressed and the hex codes keep their length, so the file is patched in place: no byte moves and the
cross-reference table stays valid. Compressed maps (other PDF writers) are left alone.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

__all__ = ["RADICAL_TO_IDEOGRAPH", "fix_radical_text", "fix_radical_text_bytes", "font_twins", "font_file"]

# Pairs (radical or stroke, its unified ideograph) from Unicode's EquivalentUnifiedIdeograph.txt.
_PAIRS = (
    "⺁厂⺂乛⺃乚⺄乙⺅亻⺆冂⺇𠘨⺈刀⺉刂⺊卜⺋㔾⺌小⺍小⺎兀⺏尣⺐尢⺑𡯂⺒巳⺓幺⺔彑⺕𫜹⺖忄⺗心⺘扌⺙攵"
    "⺛旡⺜日⺝月⺞歺⺟母⺠民⺡氵⺢氺⺣灬⺤爫⺥爫⺦丬⺧牛⺨犭⺩王⺪𤴔⺫目⺬示⺭礻⺮𥫗⺯糹⺰纟⺱罓⺲罒⺳㓁"
    "⺴冗⺵𦉫⺶羊⺷𦍌⺸𦍋⺹耂⺺肀⺻聿⺼肉⺽𦥑⺾艹⺿艹⻀艹⻁虎⻂衤⻃覀⻄西⻅见⻆角⻇𧢲⻈讠⻉贝⻊𧾷⻋车⻌辶"
    "⻍辶⻎辶⻏邑⻐钅⻑長⻒镸⻓长⻔门⻕𨸏⻖阝⻗雨⻘青⻙韦⻚页⻛风⻜飞⻝食⻞𩙿⻟飠⻠饣⻡𩠐⻢马⻣骨⻤鬼⻥鱼"
    "⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟⼀一⼁丨⼂丶⼃丿⼄乙⼅亅⼆二⼇亠⼈人⼉儿⼊入"
    "⼋八⼌冂⼍冖⼎冫⼏几⼐凵⼑刀⼒力⼓勹⼔匕⼕匚⼖匸⼗十⼘卜⼙卩⼚厂⼛厶⼜又⼝口⼞囗⼟土⼠士⼡夂⼢夊⼣夕"
    "⼤大⼥女⼦子⼧宀⼨寸⼩小⼪尢⼫尸⼬屮⼭山⼮巛⼯工⼰己⼱巾⼲干⼳幺⼴广⼵廴⼶廾⼷弋⼸弓⼹彐⼺彡⼻彳⼼心"
    "⼽戈⼾戶⼿手⽀支⽁攴⽂文⽃斗⽄斤⽅方⽆无⽇日⽈曰⽉月⽊木⽋欠⽌止⽍歹⽎殳⽏毋⽐比⽑毛⽒氏⽓气⽔水⽕火"
    "⽖爪⽗父⽘爻⽙爿⽚片⽛牙⽜牛⽝犬⽞玄⽟玉⽠瓜⽡瓦⽢甘⽣生⽤用⽥田⽦疋⽧疒⽨癶⽩白⽪皮⽫皿⽬目⽭矛⽮矢"
    "⽯石⽰示⽱禸⽲禾⽳穴⽴立⽵竹⽶米⽷糸⽸缶⽹网⽺羊⽻羽⽼老⽽而⽾耒⽿耳⾀聿⾁肉⾂臣⾃自⾄至⾅臼⾆舌⾇舛"
    "⾈舟⾉艮⾊色⾋艸⾌虍⾍虫⾎血⾏行⾐衣⾑襾⾒見⾓角⾔言⾕谷⾖豆⾗豕⾘豸⾙貝⾚赤⾛走⾜足⾝身⾞車⾟辛⾠辰"
    "⾡辵⾢邑⾣酉⾤釆⾥里⾦金⾧長⾨門⾩阜⾪隶⾫隹⾬雨⾭靑⾮非⾯面⾰革⾱韋⾲韭⾳音⾴頁⾵風⾶飛⾷食⾸首⾹香"
    "⾺馬⾻骨⾼高⾽髟⾾鬥⾿鬯⿀鬲⿁鬼⿂魚⿃鳥⿄鹵⿅鹿⿆麥⿇麻⿈黃⿉黍⿊黑⿋黹⿌黽⿍鼎⿎鼓⿏鼠⿐鼻⿑齊⿒齒"
    "⿓龍⿔龜⿕龠㇆𠃌㇏乀㇐一㇑丨㇒丿㇓丿㇔丶㇕𠃍㇖乛㇗𠃊㇘𠃎㇙𠄌㇚亅㇛𡿨㇜𠃋㇝乀㇞𠃑㇟乚㇠乙㇡𠄎"
)
#: CJK radical / stroke code point → the unified ideograph that fonts draw with the same glyph.
RADICAL_TO_IDEOGRAPH: dict[int, int] = {ord(_PAIRS[i]): ord(_PAIRS[i + 1]) for i in range(0, len(_PAIRS), 2)}

_TO_UNICODE_REF = re.compile(rb"/ToUnicode\s+(\d+)\s+0\s+R")
_FONT_DICT = re.compile(rb"/BaseFont\s*/([^\s/<>\[\]()]+)[^>]*?/ToUnicode\s+(\d+)\s+0\s+R", re.S)
_TWINS_CACHE: dict = {}


def _is_ideograph(code: int) -> bool:
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3134F


def _in_gb2312(code: int) -> bool:
    try:
        chr(code).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def font_file(postscript_name: str) -> tuple[str, int] | None:
    """(path, index in a collection) of the installed font with this PostScript name, via fontconfig; or None."""
    import shutil
    import subprocess

    if shutil.which("fc-match") is None:
        return None
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}|%{postscriptname}", f":postscriptname={postscript_name}"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    path, _, rest = found.partition("|")
    index, _, name = rest.partition("|")
    if not path or name != postscript_name:
        return None
    return path, int(index or 0)


def font_twins(path: str, index: int = 0) -> dict[int, int]:
    """{code point: ideograph} for the characters that share a glyph with a unified ideograph in this font.

    >>> twins = font_twins(*font_file("NotoSansCJKsc-Regular")) if font_file("NotoSansCJKsc-Regular") else None
    >>> twins is None or (twins[0x2F3E] == ord("户") and twins[0x2F79] == ord("网"))
    True
    """
    key = (path, index)
    if key not in _TWINS_CACHE:
        from fontTools.ttLib import TTFont

        font = TTFont(path, fontNumber=index, lazy=True)
        try:
            cmap = font.getBestCmap()
        finally:
            font.close()
        by_glyph: dict = {}
        for code, glyph in cmap.items():
            by_glyph.setdefault(glyph, []).append(code)
        twins = {}
        for codes in by_glyph.values():
            ideographs = [c for c in codes if _is_ideograph(c)]
            if len(codes) < 2 or not ideographs:
                continue
            best = min(ideographs, key=lambda c: (not _in_gb2312(c), c))
            twins.update({c: best for c in codes if c != best})
        _TWINS_CACHE[key] = twins
    return _TWINS_CACHE[key]


def _twins_for(base_font: bytes) -> dict[int, int]:
    name = base_font.decode("latin-1").split("+", 1)[-1]
    located = font_file(name)
    if located is None:
        return RADICAL_TO_IDEOGRAPH
    try:
        return font_twins(*located)
    except Exception:  # noqa: BLE001 - an unreadable font file: the Unicode table still fixes most text
        return RADICAL_TO_IDEOGRAPH


_HEX4 = re.compile(rb"<([0-9A-Fa-f]{4})>")


def _fix_cmap(body: bytes, table: dict | None = None) -> tuple[bytes, int]:
    """The CMap text with radical targets replaced (same length), and how many were replaced.

    Only targets are touched: in a ``bfrange`` line everything after the first two codes, in a ``bfchar``
    line everything after the first; the source codes (glyph ids) stay as they are.
    """
    count = 0

    def swap(match: re.Match) -> bytes:
        nonlocal count
        code = int(match.group(1), 16)
        ideograph = (table or RADICAL_TO_IDEOGRAPH).get(code)
        if ideograph is None or ideograph > 0xFFFF:
            return match.group(0)
        count += 1
        return b"<%04X>" % ideograph

    lines = body.split(b"\n")
    mode = None
    for index, line in enumerate(lines):
        words = line.split()
        if words and words[-1] in (b"beginbfrange", b"beginbfchar"):
            mode = words[-1]
            continue
        if words and words[0] in (b"endbfrange", b"endbfchar"):
            mode = None
            continue
        if mode is None:
            continue
        keep = 2 if mode == b"beginbfrange" else 1
        codes = list(_HEX4.finditer(line))
        if len(codes) <= keep:
            continue
        cut = codes[keep - 1].end()
        lines[index] = line[:cut] + _HEX4.sub(swap, line[cut:])
    return b"\n".join(lines), count


def fix_radical_text_bytes(data: bytes, use_fonts: bool = True) -> tuple[bytes, int]:
    """Return ``data`` with every uncompressed ToUnicode map fixed, and the number of characters fixed.

    Examples
    --------
    >>> cmap = (b"1 0 obj<</Type/Font/ToUnicode 2 0 R>>endobj 2 0 obj<</Length 50>>stream\\n"
    ...         b"1 beginbfchar\\n<2F79> <2F79>\\nendbfchar\\nendstream")
    >>> fixed, n = fix_radical_text_bytes(cmap, use_fonts=False)
    >>> n, b"<7F51>" in fixed, len(fixed) == len(cmap)
    (1, True, True)
    >>> b"<2F79> <7F51>" in fixed  # the glyph id is kept
    True
    """
    total = 0
    out = bytearray(data)
    tables = {int(m.group(2)): m.group(1) for m in _FONT_DICT.finditer(data)} if use_fonts else {}
    for number in sorted({int(m.group(1)) for m in _TO_UNICODE_REF.finditer(data)}):
        table = _twins_for(tables[number]) if number in tables else None
        header = re.compile(rb"(?<![0-9])%d\s+0\s+obj\s*<<(.*?)>>\s*stream\r?\n" % number, re.S)
        for match in header.finditer(data):
            if b"/Filter" in match.group(1):  # compressed: leave it (patching would move bytes)
                continue
            start = match.end()
            end = data.find(b"endstream", start)
            if end < 0:
                continue
            body, count = _fix_cmap(data[start:end], table)
            if count:
                out[start:end] = body
                total += count
    return bytes(out), total


def fix_radical_text(path) -> int:
    """Fix the text layer of the PDF at ``path`` in place (atomically); returns how many characters changed."""
    path = Path(path)
    data = path.read_bytes()
    fixed, count = fix_radical_text_bytes(data)
    if count:
        handle, tmp = tempfile.mkstemp(prefix=".pdftext-", suffix=".pdf", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(fixed)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    return count
