#!/usr/bin/env bash
# Builds data/reports/reference.docx, the Word styles pandoc gives the DOCX reports
# (docs/reports.md, "Formats and tools"): pandoc's own reference document with Chinese fonts
# (Noto Serif CJK SC for the body, standing in for 仿宋; Noto Sans CJK SC for headings), the
# language set to zh-CN (so Word breaks lines by Chinese rules), and an A4 page with the
# GB/T 9704-2012 margins (37 mm top, 35 mm bottom, 28 mm left, 26 mm right: type area
# 156 × 225 mm), with the page number centred in the footer as "— 1 —" (GB/T 9704-2012 §7.5,
# a PAGE field that Word and LibreOffice fill in). Rerun after upgrading pandoc; the output is
# deterministic.
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
sect = ('<w:sectPr><w:footerReference w:type="default" r:id="rIdYqFooter" /><w:pgSz w:w="11906" w:h="16838" /><w:pgMar w:top="2098" w:right="1474" '
        'w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0" /></w:sectPr>')
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
run = '<w:r><w:rPr><w:rFonts w:ascii="Noto Serif CJK SC" w:eastAsia="Noto Serif CJK SC" w:hAnsi="Noto Serif CJK SC" /><w:sz w:val="28" /></w:rPr>{}</w:r>'
footer = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          f'<w:ftr {W}><w:p><w:pPr><w:jc w:val="center" /></w:pPr>'
          + run.format('<w:t xml:space="preserve">— </w:t>')
          + run.format('<w:fldChar w:fldCharType="begin" />')
          + run.format('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
          + run.format('<w:fldChar w:fldCharType="separate" />')
          + run.format('<w:t>1</w:t>')
          + run.format('<w:fldChar w:fldCharType="end" />')
          + run.format('<w:t xml:space="preserve"> —</w:t>')
          + '</w:p></w:ftr>')
extra = {"word/footer1.xml": footer.encode("utf-8")}
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    names = {i.filename: i for i in zin.infolist()}
    for name in sorted(set(names) | set(extra)):
        data = extra[name] if name in extra else zin.read(name)
        info = names.get(name)
        if name == "word/_rels/document.xml.rels":
            data = data.decode("utf-8").replace("</Relationships>", '<Relationship Id="rIdYqFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml" /></Relationships>').encode("utf-8")
        if name == "[Content_Types].xml":
            data = data.decode("utf-8").replace("</Types>", '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml" /></Types>').encode("utf-8")
        if name == "word/styles.xml":
            s = data.decode("utf-8")
            s = s.replace('w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi"', body)
            s = s.replace('w:asciiTheme="majorHAnsi" w:eastAsiaTheme="majorEastAsia" w:hAnsiTheme="majorHAnsi" w:cstheme="majorBidi"', head)
            s = s.replace('<w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA" />', '<w:lang w:val="zh-CN" w:eastAsia="zh-CN" w:bidi="ar-SA" />')
            data = s.encode("utf-8")
        if name == "word/document.xml":
            data = data.decode("utf-8").replace("<w:sectPr />", sect).encode("utf-8")
        fixed = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        fixed.compress_type = zipfile.ZIP_DEFLATED
        zout.writestr(fixed, data)
PY
echo "wrote $out"
