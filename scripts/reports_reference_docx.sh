#!/usr/bin/env bash
# Builds data/reports/reference.docx, the Word styles pandoc gives the DOCX reports
# (docs/reports.md, "Formats and tools"): pandoc's own reference document with Chinese fonts
# (Noto Serif CJK SC for the body, standing in for 仿宋; Noto Sans CJK SC for headings), the
# language set to zh-CN (so Word breaks lines by Chinese rules), and an A4 page with the
# GB/T 9704-2012 margins (37 mm top, 35 mm bottom, 28 mm left, 26 mm right: type area
# 156 × 225 mm). Rerun after upgrading pandoc; the output is deterministic.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/data/reports/reference.docx"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pandoc -o "$work/default.docx" --print-default-data-file reference.docx
python3 - "$work/default.docx" "$out" <<'PY'
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
body = 'w:ascii="Noto Serif CJK SC" w:eastAsia="Noto Serif CJK SC" w:hAnsi="Noto Serif CJK SC" w:cs="Noto Serif CJK SC"'
head = 'w:ascii="Noto Sans CJK SC" w:eastAsia="Noto Sans CJK SC" w:hAnsi="Noto Sans CJK SC" w:cs="Noto Sans CJK SC"'
# A4 (11906 × 16838 twips), margins in twips (1 mm = 56.7 twips).
sect = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838" /><w:pgMar w:top="2098" w:right="1474" '
        'w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0" /></w:sectPr>')
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for info in sorted(zin.infolist(), key=lambda i: i.filename):
        data = zin.read(info.filename)
        if info.filename == "word/styles.xml":
            s = data.decode("utf-8")
            s = s.replace('w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi"', body)
            s = s.replace('w:asciiTheme="majorHAnsi" w:eastAsiaTheme="majorEastAsia" w:hAnsiTheme="majorHAnsi" w:cstheme="majorBidi"', head)
            s = s.replace('<w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA" />', '<w:lang w:val="zh-CN" w:eastAsia="zh-CN" w:bidi="ar-SA" />')
            data = s.encode("utf-8")
        if info.filename == "word/document.xml":
            data = data.decode("utf-8").replace("<w:sectPr />", sect).encode("utf-8")
        fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
        fixed.compress_type = zipfile.ZIP_DEFLATED
        zout.writestr(fixed, data)
PY
echo "wrote $out"
