"""``Ringkasan``: titled sections one under another, for the planner reading the result.

Counts per level; findings per level and severity; coverage; structural positions without
PK; employees without RHK; budget per L1/L2 node for each year; nodes left out for Galat.
Coverage is computed on the tree without its left-out nodes (what the documents show). An
office's workbook alone has no L1: its coverage runs up to its L2 and says that L1 lives in the
body's workbook; in the batch the body's L1 that its L2 hang under is counted as its L1.
"""

from __future__ import annotations

from collections import Counter

from pohon_xl.core.derive.common import BODY_L1, Derivation, fit_heights, money, num
from pohon_xl.findings import Finding, Report, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node, Position
from pohon_xl.printing import fit_page
from pohon_xl.sheets import Cell, PrintSetup, SheetSpec

WIDTHS = (14, 50, 18, 22, 26, 18, 18)
# Positions that sign a PK by rule (PermenPANRB 53/2014); the Kepala Daerah signs his in the
# body-level workbook, and functional / staff positions are covered by SKP.
PK_KINDS = ("JPT", "Administrator", "Pengawas")
SEVERITIES = (Severity.GALAT, Severity.PERINGATAN, Severity.INFO)
BUDGET_NOTE = "Jumlah anggaran subkegiatan (L5) di bawahnya; tiap subkegiatan dihitung sekali."


class Sections:
    def __init__(self) -> None:
        self.rows: list[list[Cell | None]] = []
        self.merges: list[str] = []

    def add(self, *cells: Cell | None) -> int:
        self.rows.append(list(cells))
        return len(self.rows)

    def title(self, text: str) -> None:
        row = self.add(Cell(text, "title"))
        self.merges.append(f"A{row}:G{row}")

    def section(self, text: str, note: str = "") -> None:
        if self.rows:
            self.add()
        self.add(Cell(text, "subtitle"))
        if note:
            row = self.add(Cell(note, "plain"))
            self.merges.append(f"A{row}:G{row}")

    def header(self, *labels: str) -> None:
        self.add(*[Cell(label, "header") for label in labels])

    def none(self, text: str = "Tidak ada.") -> None:
        self.add(Cell(text, "plain"))


def _share(part: int, whole: int) -> Cell:
    return Cell(round(part / whole, 4) if whole else None, "percent")


def _counts(out: Sections, ctx: Derivation) -> None:
    out.section("Jumlah per level")
    out.header("Level", "Lembar", "Simpul", "Indikator", "Tidak dimasukkan (Galat)")
    for spec in C.LEVELS:
        nodes = ctx.plan.nodes_on(spec.number)
        left = sum(1 for n in nodes if not ctx.included(n))
        indicators = sum(len(n.indicators) for n in nodes)
        out.add(Cell(f"L{spec.number}", "text_center"), Cell(spec.sheet),
                Cell(len(nodes), "number"), Cell(indicators, "number"), Cell(left, "number"))


def _findings(out: Sections, findings: list[Finding]) -> None:
    out.section("Temuan per level dan tingkat",
                "Termasuk temuan penurunan dokumen (kode TUR). Rincian di Laporan_Validasi.")
    out.header("Level", "Lembar", *[s.value for s in SEVERITIES], "Jumlah")
    by_level: dict[int, Counter[Severity]] = {}
    for finding in findings:
        by_level.setdefault(finding.level, Counter())[finding.severity] += 1
    total: Counter[Severity] = Counter()
    for level in [spec.number for spec in C.LEVELS] + [0]:
        counts = by_level.get(level, Counter())
        total.update(counts)
        label = f"L{level}" if level else "Lainnya"
        sheet = C.LEVEL_BY_NUMBER[level].sheet if level else "Identitas, Jabatan, struktur"
        out.add(Cell(label, "text_center"), Cell(sheet),
                *[Cell(counts[s], "number") for s in SEVERITIES],
                Cell(sum(counts.values()), "number"))
    out.add(Cell("Jumlah", "total"), Cell(None, "total"),
            *[Cell(total[s], "total") for s in SEVERITIES], Cell(sum(total.values()), "total"))


def _level_nodes(ctx: Derivation, level: int) -> list[Node]:
    """A level's included nodes; on L1 also the body's L1 lent to an office's workbook."""
    return ctx.nodes_on(level) + (ctx.lent_l1 if level == 1 else [])


def _coverage(out: Sections, ctx: Derivation, pk_owners: set[str]) -> None:
    note = "Dihitung tanpa simpul yang ber-Galat (rantai terputus di simpul itu)."
    top = ctx.top_level
    if top > 1:
        note += f" {BODY_L1}: cakupan dihitung sampai L{top}."
    out.section("Cakupan", note)
    out.header("No", "Ukuran", "Jumlah", "Dari", "Persentase")
    year = ctx.pk_year
    lines: list[tuple[str, int, int]] = []
    for level in range(top, 3):
        nodes = _level_nodes(ctx, level)
        supported = [n for n in nodes if ctx.leaves_on([n], C.SUBKEGIATAN_LEVEL)]
        lines.append((f"Sasaran L{level} yang didukung sampai subkegiatan (L5)",
                      len(supported), len(nodes)))
        if year is not None:
            funded = [n for n in nodes if ctx.budget([n], year) > 0]
            lines.append((f"Sasaran L{level} dengan anggaran > 0 pada {year}",
                          len(funded), len(nodes)))
    subs = ctx.nodes_on(C.SUBKEGIATAN_LEVEL)
    top_title = C.LEVEL_BY_NUMBER[top].title
    lines.append((f"Subkegiatan (L5) yang tertelusur sampai {top_title} (L{top})",
                  sum(1 for n in subs if ctx.traces_up(n, top)), len(subs)))
    structural = _structural(ctx)
    lines.append(("Jabatan struktural (JPT, Administrator, Pengawas) yang memiliki PK",
                  sum(1 for p in structural if p.code in pk_owners), len(structural)))
    for number, (text, part, whole) in enumerate(lines, start=1):
        out.add(Cell(number, "text_center"), Cell(text), Cell(part, "number"),
                Cell(whole, "number"), _share(part, whole))


def _office_context(ctx: Derivation) -> str:
    """Where an office's L1 is, for the workbook of an office without L1 of its own."""
    if ctx.top_level > 1:
        return (f"Workbook perangkat daerah: {BODY_L1}; matriks cascading, cakupan dan pohon "
                "dimulai dari Sasaran Perangkat Daerah (L2).")
    if ctx.lent_l1:
        ids = ", ".join(n.id for n in ctx.lent_l1)
        return f"Sasaran Daerah (L1) diambil dari workbook Pemda: {ids}."
    return ""


def _structural(ctx: Derivation) -> list[Position]:
    kinds = {k.casefold() for k in PK_KINDS}
    return [p for p in ctx.plan.positions if p.code and p.kind.strip().casefold() in kinds]


def _position_list(out: Sections, positions: list[Position], pk_owners: set[str] | None = None
                   ) -> None:
    if not positions:
        out.none()
        return
    extra = ["Memiliki PK"] if pk_owners is not None else []
    out.header("Kode Jabatan", "Nama Jabatan", "Jenis Jabatan", "NIP", "Nama Pemangku", *extra)
    for p in positions:
        has_pk = ([Cell("Ya" if p.code in pk_owners else "Tidak", "text_center")]
                  if pk_owners is not None else [])
        out.add(Cell(p.code), Cell(p.name), Cell(p.kind), Cell(p.nip), Cell(p.holder), *has_pk)


def _budgets(out: Sections, ctx: Derivation) -> None:
    years = ctx.years
    for level in (1, 2):
        spec = C.LEVEL_BY_NUMBER[level]
        out.section(f"Anggaran per {spec.title} (L{level})", BUDGET_NOTE)
        nodes = _level_nodes(ctx, level)
        if not nodes:
            out.none(f"{BODY_L1}." if level < ctx.top_level else "Tidak ada.")
            continue
        out.header(C.ID, C.SASARAN, *[C.budget_header(y) for y in years])
        for node in nodes:
            out.add(Cell(node.id), Cell(node.sasaran),
                    *[money(ctx.budget([node], y)) for y in years])
        out.add(Cell("Jumlah", "total"), Cell(None, "total"),
                *[Cell(num(ctx.budget(nodes, y)), "total_money") for y in years])


def _left_out(out: Sections, ctx: Derivation, findings: list[Finding]) -> None:
    out.section("Simpul yang tidak dimasukkan ke dokumen turunan (Galat)",
                "Perbaiki Galat-nya (lihat Laporan_Validasi) lalu jalankan Turunkan lagi.")
    nodes = ctx.left_out
    if not nodes:
        out.none()
        return
    out.header("ID", "Sasaran", "Lembar", "Baris", "Galat pertama")
    by_row: dict[tuple[str, int], str] = {}
    by_id: dict[str, str] = {}
    for f in findings:
        if f.severity is Severity.GALAT:
            text = f"{f.code}: {f.message}"
            by_row.setdefault((f.location.sheet, f.location.row), text)
            if f.node_id:
                by_id.setdefault(f.node_id, text)
    for node in sorted(nodes, key=lambda n: (n.level, n.row)):
        reasons = [by_row[(node.sheet, r)] for r in node.rows if (node.sheet, r) in by_row]
        reason = reasons[0] if reasons else by_id.get(node.id, "")
        row = out.add(Cell(node.id), Cell(node.sasaran), Cell(node.sheet),
                      Cell(node.row, "number"), Cell(reason))
        out.merges.append(f"E{row}:G{row}")


def ringkasan(ctx: Derivation) -> SheetSpec:
    """Built last: it counts the report's findings and those of every sheet built before."""
    findings = ctx.report.findings + Report(ctx.findings).findings
    pk_owners = ctx.pk_owners
    out = Sections()
    out.title("RINGKASAN POHON KINERJA")
    who = ctx.plan.identity.text(C.KEY_PERANGKAT_DAERAH) or ctx.plan.identity.text(C.KEY_INSTANSI)
    years = ctx.years
    period = f"{years[0]}–{years[-1]}" if years else "-"
    row = out.add(Cell(f"{who} · periode {period} · Tahun PK {ctx.pk_year or '-'}", "plain"))
    out.merges.append(f"A{row}:G{row}")
    context = _office_context(ctx)
    if context:
        row = out.add(Cell(context, "plain"))
        out.merges.append(f"A{row}:G{row}")
    _counts(out, ctx)
    _findings(out, findings)
    _coverage(out, ctx, pk_owners)
    structural = _structural(ctx)
    out.section("Jabatan struktural tanpa PK",
                "Jabatan JPT, Administrator dan Pengawas yang tidak memiliki sasaran L1–L5.")
    _position_list(out, [p for p in structural if p.code not in pk_owners])
    out.section("Pegawai tanpa RHK (L6)",
                "Jabatan yang ada pemangkunya (selain Kepala Daerah) tetapi tidak punya RHK di L6; "
                "bagi pejabat yang memiliki PK, RHK-nya biasanya diturunkan dari PK.")
    rhk_owners = {n.owner for n in ctx.nodes_on(C.RHK_LEVEL)}
    kepala = C.KEPALA_DAERAH.casefold()
    _position_list(out, [p for p in ctx.plan.positions if p.holder and p.code not in rhk_owners
                         and p.kind.strip().casefold() != kepala], pk_owners)
    _budgets(out, ctx)
    _left_out(out, ctx, findings)
    width = max(len(r) for r in out.rows)
    for r in out.rows:
        r += [None] * (width - len(r))
    sheet = SheetSpec(
        name=C.RINGKASAN,
        rows=out.rows,
        widths={i: float(w) for i, w in enumerate(WIDTHS, start=1)},
        merges=out.merges,
        protect=True,
        print=PrintSetup(),
    )
    fit_page(sheet)
    fit_heights(sheet)
    return sheet
