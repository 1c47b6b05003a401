#!/usr/bin/env python3
# Builds the hostile inputs that Mamori's parsers must refuse quickly within a memory budget;
# the tests in crates/ingest and the e2e suite read them.
#
# Usage: python3 scripts/hostile-corpus.py OUT_DIR
#
# Writes every file into OUT_DIR (created when missing) and OUT_DIR/MANIFEST.tsv: a header
# line `file<TAB>attack`, then one line per file with its name and one sentence on what it
# attacks. Standard library only; the output is byte-for-byte the same on every run (zip
# entries dated 1980-01-01 00:00, gzip without time or name, nothing random).
#
# The files are small and the work they ask for is huge. Most are under 10 KB; the large
# ones are bounded by deflate's ratio (at most about 1030:1). Two files knowingly exceed
# 4 MB: nvd-gzip-bomb.json.gz (6 GiB unpacked, above ingest::unpack::MAX_UNPACKED = 4 GiB,
# cannot be under ~6 MB) and xlsx-many-entries.xlsx (100,000 zip entries cost ~115 bytes of
# headers each), both still well under the upload limit of 32 MiB.
#
# Zip archives are written by the small writer below rather than by `zipfile`: it can
# declare sizes that lie, and it compresses a long run of identical input once and repeats
# the compressed bytes (each copy starts after a zlib full flush, so every copy compresses
# to the same bytes and refers to nothing before it). That keeps the 2 GiB and 6 GiB
# streams to seconds.

import io
import lzma
import os
import struct
import sys
import time
import zlib

MiB = 1 << 20
GiB = 1 << 30

# --------------------------------------------------------------------------------------
# Deflate with repeated units


class Tally:
    """CRC-32 and length of the uncompressed data that went through a stream."""

    def __init__(self):
        self.crc = 0
        self.size = 0

    def feed(self, data):
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)


def deflate(pieces, tally, level=9):
    """Yields the raw deflate stream of `pieces`, a list of (bytes, count): each bytes
    repeated count times, in order. A repeated unit is compressed between full flushes, so
    once two copies come out the same, the rest are copies of those bytes."""
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 9)
    for data, count in pieces:
        if count == 1:
            tally.feed(data)
            out = c.compress(data)
            if out:
                yield out
            continue
        out = c.flush(zlib.Z_FULL_FLUSH)
        if out:
            yield out
        previous = None
        steady = False
        for _ in range(count):
            tally.feed(data)
            if steady:
                yield previous
                continue
            out = c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)
            steady = out == previous
            previous = out
            yield out
    yield c.flush()


class Repeated:
    """A zip part given as (bytes, count) pieces; `declared_size` makes the headers lie."""

    def __init__(self, pieces, level=9, declared_size=None):
        self.pieces = pieces
        self.level = level
        self.declared_size = declared_size


# --------------------------------------------------------------------------------------
# Zip writer

DOS_TIME = 0
DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
STORED, DEFLATED = 0, 8


class ZipWriter:
    def __init__(self, f):
        self.f = f
        self.central = []

    def add(self, name, part):
        """`part`: bytes (deflated; stored when empty or `name` is `mimetype`) or Repeated."""
        name_b = name.encode("utf-8")
        flags = 0x0800 if not name.isascii() else 0
        offset = self.f.tell()
        assert offset < 0xFFFFFFFF
        declared = None
        if isinstance(part, Repeated):
            method, pieces, level, declared = DEFLATED, part.pieces, part.level, part.declared_size
        elif len(part) == 0 or name == "mimetype":
            method = STORED
        else:
            method, pieces, level = DEFLATED, [(part, 1)], 9
        self.f.write(b"\0" * (30 + len(name_b)))
        tally = Tally()
        if method == STORED:
            tally.feed(part)
            self.f.write(part)
        else:
            for chunk in deflate(pieces, tally, level):
                self.f.write(chunk)
        end = self.f.tell()
        csize = end - offset - 30 - len(name_b)
        usize = tally.size if declared is None else declared
        assert csize < 0xFFFFFFFF and usize < 0xFFFFFFFF, name
        self.f.seek(offset)
        self.f.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50, 20, flags, method, DOS_TIME, DOS_DATE,
                tally.crc, csize, usize, len(name_b), 0,
            )
            + name_b
        )
        self.f.seek(end)
        self.central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50, (3 << 8) | 20, 20, flags, method, DOS_TIME, DOS_DATE,
                tally.crc, csize, usize, len(name_b), 0, 0, 0, 0, 0o100644 << 16, offset,
            )
            + name_b
        )

    def close(self):
        cd_offset = self.f.tell()
        for entry in self.central:
            self.f.write(entry)
        cd_size = self.f.tell() - cd_offset
        n = len(self.central)
        if n > 0xFFFF:
            # Zip64 end of central directory record and locator, for the entry count.
            eocd64 = self.f.tell()
            self.f.write(
                struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, n, n, cd_size, cd_offset)
            )
            self.f.write(struct.pack("<IIQI", 0x07064B50, 0, eocd64, 1))
        self.f.write(
            struct.pack(
                "<IHHHHIIH", 0x06054B50, 0, 0, min(n, 0xFFFF), min(n, 0xFFFF),
                cd_size, cd_offset, 0,
            )
        )


def write_zip(path, parts):
    with open(path, "wb") as f:
        z = ZipWriter(f)
        for name, part in parts.items():
            z.add(name, part)
        z.close()


def zip_bytes(parts):
    f = io.BytesIO()
    z = ZipWriter(f)
    for name, part in parts.items():
        z.add(name, part)
    z.close()
    return f.getvalue()


# --------------------------------------------------------------------------------------
# XLSX

XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"

SHEET = "xl/worksheets/sheet1.xml"
SHARED = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"


def inline(ref, text):
    r = f' r="{ref}"' if ref else ""
    return f'<c{r} t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = (
    '<row r="1">'
    + inline("A1", "機器名") + inline("B1", "種別") + inline("C1", "IPアドレス")
    + "</row>"
)


def data_row(r, name="受付PC", kind="PC", ip="192.168.1.10"):
    return (
        f'<row r="{r}">'
        + inline(f"A{r}", name) + inline(f"B{r}", kind) + inline(f"C{r}", ip)
        + "</row>"
    )


SHEET_HEAD = XML_DECL + f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><sheetData>'
SHEET_END = "</sheetData></worksheet>"


def sheet(rows, after=""):
    return (SHEET_HEAD + rows + "</sheetData>" + after + "</worksheet>").encode("utf-8")


DEFAULT_SHEET = sheet(HEADER_ROW + data_row(2))


def write_xlsx(path, parts, shared=SHARED):
    """A minimal workbook of one sheet; `parts` (part name -> bytes or Repeated) replaces
    the default sheet and adds parts. Content types and relationships follow the parts
    present; `shared` names the shared-strings part (written before the sheet)."""
    parts = dict(parts)
    sheet_part = parts.pop(SHEET, DEFAULT_SHEET)
    overrides = [("/xl/workbook.xml", CT_MAIN + ".sheet.main+xml"),
                 ("/" + SHEET, CT_MAIN + ".worksheet+xml")]
    rels = [("worksheet", "worksheets/sheet1.xml")]
    if shared in parts:
        overrides.append(("/" + shared, CT_MAIN + ".sharedStrings+xml"))
        rels.append(("sharedStrings", shared[len("xl/"):]))
    if STYLES in parts:
        overrides.append(("/" + STYLES, CT_MAIN + ".styles+xml"))
        rels.append(("styles", "styles.xml"))
    content_types = (
        XML_DECL
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        + '<Default Extension="xml" ContentType="application/xml"/>'
        + '<Default Extension="png" ContentType="image/png"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
        + "</Types>"
    )
    root_rels = (
        XML_DECL
        + f'<Relationships xmlns="{NS_PKG_REL}">'
        + f'<Relationship Id="rId1" Type="{NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
        + "</Relationships>"
    )
    workbook = (
        XML_DECL
        + f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
        + '<sheets><sheet name="機器台帳" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        XML_DECL
        + f'<Relationships xmlns="{NS_PKG_REL}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{NS_REL}/{t}" Target="{target}"/>'
            for i, (t, target) in enumerate(rels, 1)
        )
        + "</Relationships>"
    )
    ordered = {
        "[Content_Types].xml": content_types.encode("utf-8"),
        "_rels/.rels": root_rels.encode("utf-8"),
        "xl/workbook.xml": workbook.encode("utf-8"),
        "xl/_rels/workbook.xml.rels": workbook_rels.encode("utf-8"),
    }
    for name in (STYLES, shared):
        if name in parts:
            ordered[name] = parts.pop(name)
    ordered[SHEET] = sheet_part
    ordered.update(parts)  # anything else, e.g. media, after the sheet
    if path is None:
        return zip_bytes(ordered)
    write_zip(path, ordered)


def sheet_with_long_middle(head_rows, unit, count, tail, declared_size=None, level=9):
    """A sheet whose XML is head_rows, then `unit` × count, then `tail` and the end."""
    return Repeated(
        [((SHEET_HEAD + head_rows).encode("utf-8"), 1), (unit, count), (tail.encode("utf-8"), 1)],
        level=level,
        declared_size=declared_size,
    )


def xlsx_cases(out):
    yield "xlsx-shared-strings-count.xlsx", (
        "A shared-string table whose count and uniqueCount claim 4 trillion strings over two real ones, "
        "for readers that preallocate from the count."
    ), lambda p: write_xlsx(p, {
        SHARED: (XML_DECL + f'<sst xmlns="{NS_MAIN}" count="4000000000000" uniqueCount="4000000000000">'
                 "<si><t>機器名</t></si><si><t>受付PC</t></si></sst>").encode("utf-8"),
        SHEET: sheet(
            '<row r="1"><c r="A1" t="s"><v>0</v></c>' + inline("B1", "種別") + inline("C1", "IPアドレス") + "</row>"
            '<row r="2"><c r="A2" t="s"><v>1</v></c>' + inline("B2", "PC") + inline("C2", "192.168.1.10") + "</row>"
        ),
    })

    yield "xlsx-absurd-column.xlsx", (
        "A cell at column AAAAAAA (about 321 million), far beyond Excel's last column XFD, "
        "for readers that size rows by the largest column."
    ), lambda p: write_xlsx(p, {
        SHEET: sheet(
            '<row r="1">' + inline("A1", "機器名") + inline("B1", "種別") + inline("C1", "IPアドレス")
            + inline("AAAAAAA1", "x") + "</row>" + data_row(2)
        ),
    })

    yield "xlsx-far-row.xlsx", (
        "A cell at row 4,000,000,000 after row 2, for readers that fill the rows a sheet skips."
    ), lambda p: write_xlsx(p, {
        SHEET: sheet(HEADER_ROW + data_row(2) + data_row(4000000000)),
    })

    yield "xlsx-deflate-bomb.xlsx", (
        "A sheet that inflates to 2 GiB of whitespace inside sheetData (sizes declared truthfully), "
        "for readers without a cap on unpacked bytes."
    ), lambda p: write_xlsx(p, {
        SHEET: sheet_with_long_middle(HEADER_ROW + data_row(2), b" " * MiB, 2048, SHEET_END),
    })

    yield "xlsx-lying-size.xlsx", (
        "A sheet whose zip headers declare 1000 bytes unpacked but whose deflate data inflates to "
        "100 MiB, for readers that trust the declared size."
    ), lambda p: write_xlsx(p, {
        SHEET: sheet_with_long_middle(HEADER_ROW + data_row(2), b" " * MiB, 100, SHEET_END,
                                      declared_size=1000),
    })

    yield "xlsx-huge-merge.xlsx", (
        "One merged area A2:XFD1048576 over a single data row, for readers that expand merges "
        "cell by cell."
    ), lambda p: write_xlsx(p, {
        SHEET: sheet(HEADER_ROW + data_row(2),
                     '<mergeCells count="1"><mergeCell ref="A2:XFD1048576"/></mergeCells>'),
    })

    def many_merges(p):
        merges = "".join(f'<mergeCell ref="A{r}:B{r}"/>' for r in range(2, 200002))
        write_xlsx(p, {
            SHEET: sheet(HEADER_ROW + data_row(2),
                         f'<mergeCells count="200000">{merges}</mergeCells>'),
        })

    yield "xlsx-many-merges.xlsx", (
        "200,000 small merged areas, for readers whose merge handling is quadratic or unbounded."
    ), many_merges

    depth = 200000
    yield "xlsx-deep-xml.xlsx", (
        "200,000 nested <r> elements inside one cell's <is>, for recursive XML readers and "
        "unbounded element stacks."
    ), lambda p: write_xlsx(p, {
        SHEET: sheet(
            HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is>'
            + "<r>" * depth + "<t>x</t>" + "</r>" * depth + "</is></c></row>"
        ),
    })

    row = ("<row>" + '<c t="inlineStr"><is><t>a</t></is></c>' * 20 + "</row>").encode("utf-8")
    yield "xlsx-many-cells.xlsx", (
        "3,000,000 cells (150,000 rows of 20 inline strings without r attributes), "
        "for readers that hold a whole sheet in memory."
    ), lambda p: write_xlsx(p, {
        SHEET: sheet_with_long_middle(HEADER_ROW, row * 1000, 150, SHEET_END),
    })

    def many_entries(p):
        parts = {f"xl/media/image{i}.png": b"" for i in range(1, 100001)}
        write_xlsx(p, parts)

    yield "xlsx-many-entries.xlsx", (
        "A valid workbook plus 100,000 empty xl/media entries (zip64 entry count), "
        "for readers that index or visit every zip entry."
    ), many_entries

    def truncated(p):
        rows = HEADER_ROW + "".join(
            data_row(r, f"PC-{r - 1:03d}", "PC", f"192.168.1.{9 + r}") for r in range(2, 7)
        )
        whole = write_xlsx(None, {SHEET: sheet(rows)})
        with open(p, "wb") as f:
            f.write(whole[: len(whole) * 6 // 10])

    yield "xlsx-truncated.xlsx", (
        "A valid five-row workbook cut to its first 60% of bytes (no central directory), "
        "which must fail cleanly."
    ), truncated

    yield "xlsx-huge-string.xlsx", (
        "One inline string cell of 200 MiB of 'A', for readers that build cell strings "
        "without a length cap."
    ), lambda p: write_xlsx(p, {
        SHEET: sheet_with_long_middle(
            HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>', b"A" * MiB, 200,
            "</t></is></c></row>" + SHEET_END),
    })

    styles_head = (
        XML_DECL + f'<styleSheet xmlns="{NS_MAIN}">'
        '<numFmts count="4000000000"><numFmt numFmtId="164" formatCode="yyyy/mm/dd"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="4000000000">'
    ).encode("utf-8")
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    yield "xlsx-styles-bomb.xlsx", (
        "A styles part declaring 4 billion cell formats and number formats, with 500,000 real "
        "<xf> elements, for readers that preallocate or keep every style."
    ), lambda p: write_xlsx(p, {
        STYLES: Repeated([(styles_head, 1), (xf * 10000, 50),
                          (b'</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
                           b"</cellStyles></styleSheet>", 1)]),
    })

    def padded_sst(comment_bytes, count, strings=("機器名", "受付PC")):
        """A shared-string table after an XML comment of exactly `comment_bytes` bytes."""
        comment = "<!--" + "x" * (comment_bytes - 7) + "-->" if comment_bytes else ""
        assert len(comment.encode("utf-8")) == comment_bytes
        return (XML_DECL + comment + f'<sst xmlns="{NS_MAIN}" count="{count}" uniqueCount="{count}">'
                + "".join(f"<si><t>{t}</t></si>" for t in strings) + "</sst>").encode("utf-8")

    SHARED_SHEET = sheet(
        '<row r="1"><c r="A1" t="s"><v>0</v></c>' + inline("B1", "種別") + inline("C1", "IPアドレス") + "</row>"
        '<row r="2"><c r="A2" t="s"><v>1</v></c>' + inline("B2", "PC") + inline("C2", "192.168.1.10") + "</row>"
    )

    yield "xlsx-sharedstrings-case.xlsx", (
        "The shared-string table as xl/sharedstrings.xml (lower-case s, so named in the content "
        "types and relationships) claiming 4 trillion strings after an 8,000-byte comment, for "
        "checks that look only for xl/sharedStrings.xml or only at the part's first bytes."
    ), lambda p: write_xlsx(p, {
        "xl/sharedstrings.xml": padded_sst(8000, 4000000000000),
        SHEET: SHARED_SHEET,
    }, shared="xl/sharedstrings.xml")

    yield "xlsx-decoy-shared-strings.xlsx", (
        "The real xl/sharedStrings.xml claims 4 trillion strings after a 5,000-byte comment, and "
        "a later decoy entry z/sharedStrings.xml has an honest count of 2, for checks that match "
        "the part by file name or keep the last match."
    ), lambda p: write_xlsx(p, {
        SHARED: padded_sst(5000, 4000000000000),
        SHEET: SHARED_SHEET,
        "z/sharedStrings.xml": padded_sst(0, 2),
    })

    def xlsb(p):
        ct_book = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
        content_types = (
            XML_DECL
            + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            + f'<Default Extension="bin" ContentType="{ct_book}"/>'
            + '<Default Extension="xml" ContentType="application/xml"/>'
            + f'<Override PartName="/xl/workbook.bin" ContentType="{ct_book}"/>'
            + '<Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/>'
            + "</Types>"
        )
        root_rels = (
            XML_DECL
            + f'<Relationships xmlns="{NS_PKG_REL}">'
            + f'<Relationship Id="rId1" Type="{NS_REL}/officeDocument" Target="xl/workbook.bin"/>'
            + "</Relationships>"
        )
        write_zip(p, {
            "[Content_Types].xml": content_types.encode("utf-8"),
            "_rels/.rels": root_rels.encode("utf-8"),
            # BIFF12 records: BrtBeginBook (0x83), BrtEndBook (0x84); BrtBeginSheet (0x81),
            # BrtEndSheet (0x82): record type as a 7-bit varint, then a size of 0.
            "xl/workbook.bin": b"\x83\x01\x00\x84\x01\x00",
            "xl/worksheets/sheet1.bin": b"\x81\x01\x00\x82\x01\x00",
        })

    yield "xlsb-workbook.xlsb", (
        "An Excel binary workbook (xl/workbook.bin, xl/worksheets/sheet1.bin in a zip), a "
        "format that is not read and must be refused rather than taken for .xlsx."
    ), xlsb


# --------------------------------------------------------------------------------------
# ODS

ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
).encode("utf-8")
ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="機器台帳">'
)
ODS_END = "</table:table></office:spreadsheet></office:body></office:document-content>"


def ods_cell(text, attrs=""):
    return (f'<table:table-cell{attrs} office:value-type="string">'
            f"<text:p>{text}</text:p></table:table-cell>")


ODS_HEADER_ROW = ("<table:table-row>" + ods_cell("機器名") + ods_cell("種別")
                  + ods_cell("IPアドレス") + "</table:table-row>")


def write_ods(path, rows):
    content = (ODS_HEAD + ODS_HEADER_ROW + rows + ODS_END).encode("utf-8")
    write_zip(path, {
        "mimetype": ODS_MIME,
        "META-INF/manifest.xml": ODS_MANIFEST,
        "content.xml": content,
    })


def ods_cases(out):
    yield "ods-repeated-rows.ods", (
        "One row repeated 1,048,576 times whose non-empty cell is repeated 16,384 columns "
        "(17 billion cells), for readers that expand repeats."
    ), lambda p: write_ods(p, (
        '<table:table-row table:number-rows-repeated="1048576">'
        + ods_cell("x", ' table:number-columns-repeated="16384"') + "</table:table-row>"
    ))

    yield "ods-repeated-columns.ods", (
        "1,000 rows each holding one non-empty cell repeated 16,384 columns, for readers that "
        "cap repeated rows but not repeated columns."
    ), lambda p: write_ods(p, (
        "<table:table-row>" + ods_cell("x", ' table:number-columns-repeated="16384"')
        + "</table:table-row>"
    ) * 1000)

    depth = 200000
    yield "ods-deep-xml.ods", (
        "200,000 nested <text:span> elements in one cell, for recursive XML readers and "
        "unbounded element stacks."
    ), lambda p: write_ods(p, (
        '<table:table-row><table:table-cell office:value-type="string"><text:p>'
        + "<text:span>" * depth + "x" + "</text:span>" * depth
        + "</text:p></table:table-cell></table:table-row>"
    ))

    def many_tables(p):
        head = ODS_HEAD[: ODS_HEAD.index("<table:table ")]
        table = lambda i: (
            f'<table:table table:name="Sheet{i}">'
            '<table:table-row table:number-rows-repeated="1000">'
            + ods_cell("x", ' table:number-columns-repeated="200"')
            + "</table:table-row></table:table>"
        )
        content = (head + "".join(table(i) for i in range(1, 21))
                   + "</office:spreadsheet></office:body></office:document-content>")
        write_zip(p, {
            "mimetype": ODS_MIME,
            "META-INF/manifest.xml": ODS_MANIFEST,
            "content.xml": content.encode("utf-8"),
        })

    yield "ods-many-tables.ods", (
        "20 tables each of one row repeated 1,000 times with a non-empty cell repeated 200 "
        "columns: 200,000 cells a table, 4,000,000 together, for budgets counted per table only."
    ), many_tables

    yield "ods-escaped-repeat.ods", (
        "Repeat counts written with a character reference for the first digit "
        "(number-rows-repeated=\"&#49;048576\", number-columns-repeated=\"&#49;6384\"), for "
        "checks that read the raw attribute text while the XML reader unescapes it."
    ), lambda p: write_ods(p, (
        '<table:table-row table:number-rows-repeated="&#49;048576">'
        + ods_cell("x", ' table:number-columns-repeated="&#49;6384"') + "</table:table-row>"
    ))

    def truncated_content(p):
        content = (ODS_HEAD + ODS_HEADER_ROW + "<table:table-row>" + ods_cell("受付PC")
                   + ods_cell("PC"))
        write_zip(p, {
            "mimetype": ODS_MIME,
            "META-INF/manifest.xml": ODS_MANIFEST,
            "content.xml": content.encode("utf-8"),
        })

    yield "ods-truncated-content.ods", (
        "A sound zip whose content.xml stops inside the table, after a row and a cell, with no "
        "closing tags for row, table, spreadsheet, body or document, which must fail cleanly."
    ), truncated_content


# --------------------------------------------------------------------------------------
# CSV


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def csv_cases(out):
    yield "csv-million-columns.csv", (
        "A header line of 1,000,000 fields, for readers that allocate per column."
    ), lambda p: write_bytes(p, ("a," * 999999 + "a\n" + "受付PC,PC,192.168.1.10\n").encode("utf-8"))

    yield "csv-many-rows.csv", (
        "2,000,000 one-field rows after a UTF-8 header, for readers that hold every row."
    ), lambda p: write_bytes(p, "機器名,種別\n".encode("utf-8") + b"x\n" * 2000000)

    yield "csv-huge-field.csv", (
        "One quoted field of 3 MB with embedded newlines, for readers without a field-length cap."
    ), lambda p: write_bytes(p, "機器名,種別,IPアドレス\n\"".encode("utf-8")
                              + (b"x" * 79 + b"\n") * 37500 + b'",PC,192.168.1.10\n')

    yield "csv-unclosed-quote.csv", (
        "A quote opened on the second line and never closed, followed by 1 MB of text, "
        "which must fail with a line number rather than swallow the file."
    ), lambda p: write_bytes(p, "機器名,種別,IPアドレス\n\"受付PC,PC,192.168.1.10\n".encode("utf-8")
                              + b"abc,def,192.168.1.11\n" * 50000)

    yield "csv-binary.csv", (
        "4 KB of every byte value 0x00-0xFF repeated, a binary file named .csv."
    ), lambda p: write_bytes(p, bytes(range(256)) * 16)


# --------------------------------------------------------------------------------------
# XLS: BIFF8 records in a Compound File Binary (MS-XLS, MS-CFB)

ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR = 512


def biff(typ, data=b""):
    return struct.pack("<HH", typ, len(data)) + data


def bof(dt):
    # BIFF8 BOF: vers, dt, rupBuild, rupYear, flags, verLowestBiff = 6.
    return biff(0x0809, struct.pack("<HHHHII", 0x0600, dt, 0x0DBB, 0x07CC, 0, 6))


def label(rw, col, text):
    # LABEL: rw, col, ixfe (15, Excel's default cell XF), XLUnicodeString (cch, fHighByte=0).
    raw = text.encode("latin-1")
    return biff(0x0204, struct.pack("<HHHHB", rw, col, 15, len(raw), 0) + raw)


def number(rw, col, value):
    return biff(0x0203, struct.pack("<HHHd", rw, col, 15, value))


def workbook_stream(dimensions, cells, sheet_names=("Sheet1",), pad_to=4096):
    """Globals (BOF, CODEPAGE 1200, one BOUNDSHEET8 per name, all pointing at the one sheet
    substream, EOF), then the sheet substream (BOF, DIMENSIONS, cells, EOF), zero-padded to
    `pad_to` bytes (4096: the stream is not in the mini stream). Readers stop at each
    substream's EOF and never reach the padding."""
    raw_names = [name.encode("latin-1") for name in sheet_names]

    def globals_part(pos):
        return (
            bof(0x0005)
            + biff(0x0042, struct.pack("<H", 1200))
            + b"".join(biff(0x0085, struct.pack("<IBBBB", pos, 0, 0, len(raw), 0) + raw)
                       for raw in raw_names)
            + biff(0x000A)
        )

    pos = len(globals_part(0))
    rw_mic, rw_mac, col_mic, col_mac = dimensions
    sheet_part = (
        bof(0x0010)
        + biff(0x0200, struct.pack("<IIHHH", rw_mic, rw_mac, col_mic, col_mac, 0))
        + b"".join(cells)
        + biff(0x000A)
    )
    stream = globals_part(pos) + sheet_part
    assert len(stream) <= pad_to
    return stream + b"\0" * (pad_to - len(stream))


CFB_SIGNATURE = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
MINI_SECTOR = 64
MINI_CUTOFF = 4096


def cfb_header(first_mini_fat, mini_fat_count):
    """A version-3 header: one FAT sector (sector 0, listed in the header DIFAT), the
    directory at sector 1, mini FAT from `first_mini_fat` (ENDOFCHAIN when none)."""
    header = (
        CFB_SIGNATURE
        + b"\0" * 16  # CLSID
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)  # minor, major, BOM, shifts
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, MINI_CUTOFF, first_mini_fat, mini_fat_count,
                      ENDOFCHAIN, 0)
        + struct.pack("<I", 0) + struct.pack("<I", FREESECT) * 108  # DIFAT: FAT in sector 0
    )
    assert len(header) == 512
    return header


def cfb_entry(name, typ, child, start, size):
    """A 128-byte directory entry (typ 5 root, 2 stream, 0 unused), coloured black."""
    if typ == 0:
        return b"\0" * 64 + b"\0" * 4 + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM) + b"\0" * 48
    raw = (name + "\0").encode("utf-16-le")
    return (
        raw + b"\0" * (64 - len(raw))
        + struct.pack("<HBB", len(raw), typ, 1)  # length, type, black
        + struct.pack("<III", NOSTREAM, NOSTREAM, child)
        + b"\0" * 16 + b"\0" * 4 + b"\0" * 16  # CLSID, state bits, times
        + struct.pack("<IQ", start, size)
    )


def chain(first, n, end=ENDOFCHAIN):
    """FAT or mini FAT entries for `n` consecutive sectors starting at `first`."""
    return [first + i + 1 for i in range(n - 1)] + [end]


def cfb_mini(stream_name, stream):
    """A version-3 compound file whose one stream is under the 4096-byte cutoff and so lives
    in the mini stream ([MS-CFB] 2.6.3): sector 0 FAT, sector 1 directory, sector 2 mini FAT,
    sectors 3.. the mini stream container (the Root Entry's start and size). The stream's
    directory entry starts at mini sector 0 and follows the mini FAT."""
    assert 0 < len(stream) < MINI_CUTOFF
    n_mini = (len(stream) + MINI_SECTOR - 1) // MINI_SECTOR
    assert n_mini <= SECTOR // 4  # one mini FAT sector
    container = stream + b"\0" * (n_mini * MINI_SECTOR - len(stream))
    n_container = (len(container) + SECTOR - 1) // SECTOR
    fat = [FATSECT, ENDOFCHAIN, ENDOFCHAIN] + chain(3, n_container)
    assert len(fat) <= SECTOR // 4
    fat += [FREESECT] * (SECTOR // 4 - len(fat))
    mini_fat = chain(0, n_mini)
    mini_fat += [FREESECT] * (SECTOR // 4 - len(mini_fat))
    directory = (
        cfb_entry("Root Entry", 5, 1, 3, len(container))
        + cfb_entry(stream_name, 2, NOSTREAM, 0, len(stream))
        + cfb_entry("", 0, 0, 0, 0) * 2
    )
    assert len(directory) == SECTOR
    return (
        cfb_header(2, 1)
        + struct.pack(f"<{SECTOR // 4}I", *fat)
        + directory
        + struct.pack(f"<{SECTOR // 4}I", *mini_fat)
        + container + b"\0" * (n_container * SECTOR - len(container))
    )


def cfb(stream_name, stream):
    """A version-3 compound file: header, one FAT sector (sector 0), one directory sector
    (sector 1) holding the Root Entry and one stream, then the stream from sector 2."""
    assert len(stream) >= MINI_CUTOFF
    n = (len(stream) + SECTOR - 1) // SECTOR
    assert 2 + n <= SECTOR // 4
    fat = [FATSECT, ENDOFCHAIN] + [3 + i for i in range(n - 1)] + [ENDOFCHAIN]
    fat += [FREESECT] * (SECTOR // 4 - len(fat))
    header = cfb_header(ENDOFCHAIN, 0)
    directory = (
        cfb_entry("Root Entry", 5, 1, ENDOFCHAIN, 0)
        + cfb_entry(stream_name, 2, NOSTREAM, 2, len(stream))
        + cfb_entry("", 0, 0, 0, 0) * 2
    )
    assert len(directory) == SECTOR
    padded = stream + b"\0" * (n * SECTOR - len(stream))
    return header + struct.pack(f"<{SECTOR // 4}I", *fat) + directory + padded


def xls_cases(out):
    yield "xls-dimensions.xls", (
        "A legacy .xls whose DIMENSIONS record claims 4,294,967,295 rows by 65,535 columns, "
        "for readers that reserve cells from it."
    ), lambda p: write_bytes(p, cfb("Workbook", workbook_stream(
        (0, 0xFFFFFFFF, 0, 0xFFFF), [label(0, 0, "name"), number(1, 0, 1.0)])))

    yield "xls-valid.xls", (
        "A tiny legitimate .xls (header 'name', value 'pc1'), to check real legacy files "
        "are still read."
    ), lambda p: write_bytes(p, cfb("Workbook", workbook_stream(
        (0, 2, 0, 1), [label(0, 0, "name"), label(1, 0, "pc1")])))

    far_apart = [number(0, 0, 1.0), number(65535, 255, 2.0)]
    yield "xls-sparse-cells.xls", (
        "A .xls whose DIMENSIONS claim rows 0-1 and columns 0-1 but whose two NUMBER cells sit "
        "at A1 and IV65536, for readers that trust DIMENSIONS or fill the gap between cells."
    ), lambda p: write_bytes(p, cfb("Workbook", workbook_stream((0, 2, 0, 2), far_apart)))

    yield "xls-mini-stream.xls", (
        "The same two cells at A1 and IV65536 in a Workbook stream under 4096 bytes, stored in "
        "the compound file's mini stream, for checks that read only regular-sector streams."
    ), lambda p: write_bytes(p, cfb_mini("Workbook", workbook_stream(
        (0, 2, 0, 2), far_apart, pad_to=3000)))

    yield "xls-many-boundsheets.xls", (
        "20 BOUNDSHEET8 records (Sheet1-Sheet20) all pointing at one substream with cells at A1 "
        "and GR2000 (400,000 cells of area each, 8,000,000 together), for budgets counted per sheet only."
    ), lambda p: write_bytes(p, cfb("Workbook", workbook_stream(
        (0, 2000, 0, 200), [number(0, 0, 1.0), number(1999, 199, 2.0)],
        sheet_names=[f"Sheet{i}" for i in range(1, 21)])))


# --------------------------------------------------------------------------------------
# Feeds

NVD_HEAD = (b'{"resultsPerPage":1,"startIndex":0,"totalResults":1,"format":"NVD_CVE",'
            b'"version":"2.0","timestamp":"2024-01-01T00:00:00.000","vulnerabilities":[')
NVD_TAIL = b"]}\n"


def write_gzip_bomb(path, gib):
    tally = Tally()
    with open(path, "wb") as f:
        f.write(b"\x1f\x8b\x08\x00" + b"\0\0\0\0" + b"\x02\xff")  # no mtime, no name
        for chunk in deflate([(NVD_HEAD, 1), (b" " * MiB, gib * 1024), (NVD_TAIL, 1)], tally):
            f.write(chunk)
        f.write(struct.pack("<II", tally.crc, tally.size & 0xFFFFFFFF))


def write_xz_bomb(path, gib):
    c = lzma.LZMACompressor(format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64, preset=0)
    spaces = b" " * (4 * MiB)
    with open(path, "wb") as f:
        f.write(c.compress(NVD_HEAD))
        for _ in range(gib * 256):
            f.write(c.compress(spaces))
        f.write(c.compress(NVD_TAIL))
        f.write(c.flush())


def billion_laughs(root, body):
    entities = '<!ENTITY lol "lol">\n' + "".join(
        f'<!ENTITY lol{i} "' + f"&lol{i - 1 if i > 1 else ''};" * 10 + '">\n' for i in range(1, 10)
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE {root} [\n{entities}]>\n{body}\n').encode("utf-8")


def feed_cases(out):
    yield "kev-deep.json", (
        "100,000 nested JSON arrays, for recursive JSON readers."
    ), lambda p: write_bytes(p, b"[" * 100000 + b"]" * 100000)

    yield "nvd-gzip-bomb.json.gz", (
        "A gzip NVD page of 6 GiB (mostly whitespace; ISIZE wraps modulo 4 GiB), above the "
        "4 GiB unpack cap."
    ), lambda p: write_gzip_bomb(p, 6)

    yield "nvd-xz-bomb.json.xz", (
        "An xz NVD page of 2 GiB (mostly whitespace), for unpackers that buffer everything "
        "they inflate."
    ), lambda p: write_xz_bomb(p, 2)

    yield "jvn-billion-laughs.xml", (
        "A JVNRSS document whose title expands nested entities to 10^9 'lol's (billion laughs)."
    ), lambda p: write_bytes(p, billion_laughs(
        "rdf:RDF",
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:sec="http://jvn.jp/rss/mod_sec/3.0/">'
        '<item rdf:about="https://jvndb.jvn.jp/ja/contents/2024/JVNDB-2024-000001.html">'
        "<title>&lol9;</title><sec:identifier>JVNDB-2024-000001</sec:identifier></item></rdf:RDF>"))

    depth = 200000
    yield "nmap-deep.xml", (
        "200,000 nested <host> elements in an nmap run, for recursive XML readers."
    ), lambda p: write_bytes(p, b'<?xml version="1.0"?><nmaprun>' + b"<host>" * depth
                              + b"</host>" * depth + b"</nmaprun>\n")

    yield "nmap-billion-laughs.xml", (
        "An nmap run whose hostname expands nested entities to 10^9 'lol's (billion laughs)."
    ), lambda p: write_bytes(p, billion_laughs(
        "nmaprun",
        '<nmaprun scanner="nmap" args="nmap -oX - 192.168.1.0/24" start="1704067200" version="7.94">'
        '<host><status state="up"/><address addr="192.168.1.10" addrtype="ipv4"/>'
        '<hostnames><hostname name="&lol9;" type="PTR"/></hostnames></host></nmaprun>'))


# --------------------------------------------------------------------------------------


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 scripts/hostile-corpus.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    started = time.monotonic()
    manifest = ["file\tattack"]
    for cases in (xlsx_cases, ods_cases, csv_cases, xls_cases, feed_cases):
        for name, attack, build in cases(out):
            t = time.monotonic()
            path = os.path.join(out, name)
            build(path)
            assert "\t" not in attack and "\n" not in attack
            manifest.append(f"{name}\t{attack}")
            print(f"{name:32} {os.path.getsize(path):>10} bytes  {time.monotonic() - t:6.1f} s",
                  flush=True)
    with open(os.path.join(out, "MANIFEST.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(manifest) + "\n")
    print(f"{len(manifest) - 1} files in {out} in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
