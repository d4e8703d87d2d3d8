"""Make the text of a Qt-written PDF searchable: CJK ideographs instead of the radicals that share their glyph.

Why: a PDF keeps, per embedded font, a ``ToUnicode`` map from glyph to character so that search,
copy-paste, ``pdftotext`` and screen readers get text back. Qt's PDF engine (which QGIS layouts export
through) builds that map by walking the font's character map from U+0000 upward and keeping the *first*
character that reaches each glyph. CJK fonts such as Noto Sans CJK draw the Kangxi radical ⽹ (U+2F79) and
the ideograph 网 (U+7F51) with one glyph, and the radical comes first, so the map says ⽹ where the page
shows 网 (likewise ⽉ for 月, ⻰ for 龙). The drawing is right; only the text behind it is wrong.

The fix rewrites, in the finished PDF, every ``ToUnicode`` target that is a CJK radical or stroke into its
equivalent unified ideograph (Unicode's ``EquivalentUnifiedIdeograph.txt``, embedded below). A radical
written on purpose would also become its ideograph; a grid map never writes one. Qt writes these maps
uncompressed and the hex codes keep their length, so the file is patched in place: no byte moves and the
cross-reference table stays valid. Compressed maps (other PDF writers) are left alone.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

__all__ = ["RADICAL_TO_IDEOGRAPH", "fix_radical_text", "fix_radical_text_bytes"]

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
_HEX4 = re.compile(rb"<([0-9A-Fa-f]{4})>")


def _fix_cmap(body: bytes) -> tuple[bytes, int]:
    """The CMap text with radical targets replaced (same length), and how many were replaced.

    Only targets are touched: in a ``bfrange`` line everything after the first two codes, in a ``bfchar``
    line everything after the first; the source codes (glyph ids) stay as they are.
    """
    count = 0

    def swap(match: re.Match) -> bytes:
        nonlocal count
        ideograph = RADICAL_TO_IDEOGRAPH.get(int(match.group(1), 16))
        if ideograph is None:
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


def fix_radical_text_bytes(data: bytes) -> tuple[bytes, int]:
    """Return ``data`` with every uncompressed ToUnicode map fixed, and the number of characters fixed.

    Examples
    --------
    >>> cmap = (b"1 0 obj<</Type/Font/ToUnicode 2 0 R>>endobj 2 0 obj<</Length 50>>stream\\n"
    ...         b"1 beginbfchar\\n<2F79> <2F79>\\nendbfchar\\nendstream")
    >>> fixed, n = fix_radical_text_bytes(cmap)
    >>> n, b"<7F51>" in fixed, len(fixed) == len(cmap)
    (1, True, True)
    >>> b"<2F79> <7F51>" in fixed  # the glyph id is kept
    True
    """
    total = 0
    out = bytearray(data)
    for number in sorted({int(m.group(1)) for m in _TO_UNICODE_REF.finditer(data)}):
        header = re.compile(rb"(?<![0-9])%d\s+0\s+obj\s*<<(.*?)>>\s*stream\r?\n" % number, re.S)
        for match in header.finditer(data):
            if b"/Filter" in match.group(1):  # compressed: leave it (patching would move bytes)
                continue
            start = match.end()
            end = data.find(b"endstream", start)
            if end < 0:
                continue
            body, count = _fix_cmap(data[start:end])
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
