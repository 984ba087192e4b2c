#!/usr/bin/env python3
"""Writes mailbox.xlsx, the drop-folder fixture of collector_test.cc: a minimal workbook as
office software exports it (shared strings, an inline string, a date cell as a serial number),
made with the standard library only. Run from this directory: python3 make_mailbox_xlsx.py"""
import zipfile

shared = ["id", "title", "text", "published_at", "author.name", "metrics.likes",
          "书记信箱：村道损坏", "我们村到镇上的路坏了半年。", "张先生",
          "2026-11-16 09:30", "市长信箱：供暖", "暖气不热。"]
sst = "".join(f"<si><t>{s}</t></si>" for s in shared)
def s(i, ref):
    return f'<c r="{ref}" t="s"><v>{i}</v></c>'
rows = [
    "".join([s(0, "A1"), s(1, "B1"), s(2, "C1"), s(3, "D1"), s(4, "E1"), s(5, "F1")]),
    # A date typed as text, shared strings, a number.
    "".join(['<c r="A2"><v>1001</v></c>', s(6, "B2"), s(7, "C2"), s(9, "D2"), s(8, "E2"),
             '<c r="F2"><v>12</v></c>']),
    # A date cell: 46342.5 is 2026-11-16 12:00 in the sheet's zone; an inline string.
    "".join(['<c r="A3" t="inlineStr"><is><t>m-1002</t></is></c>', s(10, "B3"), s(11, "C3"),
             '<c r="D3" s="1"><v>46342.5</v></c>']),
    # No id: rejected with its row.
    "".join([s(10, "B4"), s(11, "C4"), s(9, "D4")]),
]
sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         + "".join(f'<row r="{i + 1}">{r}</row>' for i, r in enumerate(rows))
         + "</sheetData></worksheet>")
parts = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="来信" sheetId="1"/></sheets></workbook>',
    "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + sst + "</sst>",
    "xl/worksheets/sheet1.xml": sheet,
}
with zipfile.ZipFile("mailbox.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in parts.items():
        info = zipfile.ZipInfo(name, date_time=(2026, 11, 16, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text.encode("utf-8"))
