"""RAK: the sheets people fill after the plan (`Rencana_Aksi`, `Realisasi`).

Each row is matched to the tree by `ID` and indicator (:func:`pohon_xl.model.cycle.row_key`);
the year's target and budget come from the level sheets, never from the copy on these sheets
(which a re-run refreshes and people may have overwritten).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from pohon_xl.core.filled.layout import carries_budget, planned
from pohon_xl.findings import Finding, Location, Severity
from pohon_xl.model import contract as C
from pohon_xl.model.cycle import (
    ANGGARAN_TW, CARA_AKUMULASI, QUARTERS, REALISASI_ANGGARAN_TW, REALISASI_TAHUN_LALU,
    REALISASI_TW, TARGET_TW, accumulation_of, annual, indicator_key, row_key,
)
from pohon_xl.model.plan import (
    ActionPlanRow, FilledRow, Indicator, Node, Number, RealisationRow,
)
from pohon_xl.rules.base import Context, Rule, register
from pohon_xl.rules.values import not_a_number

Key = tuple[str, str]


@dataclass
class _Filled:
    """What the RAK rules share: the tree's planned indicators and the action plan by key."""

    planned: dict[Key, tuple[Node, Indicator]] = field(default_factory=dict)
    ids: dict[str, list[str]] = field(default_factory=dict)  # ID (normalised) -> indicators
    action_plan: dict[Key, ActionPlanRow] = field(default_factory=dict)


def _build(ctx: Context) -> _Filled:
    shared = _Filled()
    if not (ctx.plan.action_plan or ctx.plan.realisation):
        return shared  # neither sheet has rows (yet): nothing to match the tree's index to
    for node, indicator in planned(ctx.plan, ctx.tree):
        shared.planned[indicator_key(node.id, indicator.name)] = (node, indicator)
        shared.ids.setdefault(C.normalise_header(node.id), []).append(indicator.name)
    for row in ctx.plan.action_plan:
        shared.action_plan.setdefault(row_key(row), row)
    return shared


def _filled(ctx: Context) -> _Filled:
    return ctx.shared("rak", _build)


def _typed(cells: Sequence[Number]) -> bool:
    return any(cell.value is not None for cell in cells)


def _text(number: float) -> str:
    return f"{number:,.2f}".rstrip("0").rstrip(".").replace(",", "_").replace(".", ",") \
        .replace("_", ".")


class FilledRule(Rule):
    """A rule on a sheet people fill: its findings point at that sheet's cells."""

    sheet_key: str = C.RENCANA_AKSI

    def on_row(self, ctx: Context, row: FilledRow, header: str = "", *,
               sheet_key: str | None = None, node: Node | None = None,
               params: Mapping[str, object] | None = None) -> Finding:
        key = sheet_key or self.sheet_key
        info = ctx.plan.filled_sheets.get(key)
        values = {"id": row.id, "indicator": row.indicator, **(params or {})}
        return Finding(
            code=self.code, severity=self.severity,
            message=self.message.format(**values), suggestion=self.suggestion.format(**values),
            location=Location(info.name if info else key, row.row, header,
                              info.columns.get(header, 0) if info and header else 0),
            node_id=row.id, level=node.level if node is not None else 0)

    def rows(self, ctx: Context, sheet_key: str | None = None) -> Iterator[FilledRow]:
        """The sheet's rows that name an indicator (a total row or a note people added
        below the table is theirs, and not checked)."""
        key = sheet_key or self.sheet_key
        rows = ctx.plan.action_plan if key == C.RENCANA_AKSI else ctx.plan.realisation
        return (row for row in rows if row.id or row.indicator)

    def matched(self, ctx: Context) -> Iterator[tuple[FilledRow, Node, Indicator]]:
        planned_rows = _filled(ctx).planned
        for row in self.rows(ctx):
            found = planned_rows.get(row_key(row))
            if found is not None:
                yield row, *found


@register
class AccumulationMissing(FilledRule):
    """`Cara Akumulasi` empty while quarterly targets are typed, or a value it does not know.

    The real pattern: an action plan copied from SIMCAN or an e-SAKIP export without the
    accumulation column, after which TW IV of a cumulative indicator is read as the year (or
    the other way round). Without it the quarters cannot be checked against the year.

    Salah: ``Cara Akumulasi`` kosong, ``Target TW I–IV | 10 10 10 10`` · Benar:
    ``Cara Akumulasi | Kumulatif`` (or ``Nilai Akhir``, ``Rata-rata``).
    """

    code = "RAK01"
    name = "Cara akumulasi kosong atau tidak dikenal"
    severity = Severity.PERINGATAN
    message = "Baris {id} ({indicator}): Cara Akumulasi {problem}."
    suggestion = "Pilih salah satu: Kumulatif, Nilai Akhir, atau Rata-rata."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for row in self.rows(ctx):
            assert isinstance(row, ActionPlanRow)
            if row.accumulation and accumulation_of(row.accumulation) is None:
                yield self.on_row(ctx, row, CARA_AKUMULASI,
                                  params={"problem": f"'{row.accumulation}' tidak dikenal"})
            elif not row.accumulation and _typed(row.targets):
                yield self.on_row(ctx, row, CARA_AKUMULASI,
                                  params={"problem": "kosong padahal target triwulan diisi"})


def _close(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance + 1e-9


@register
class QuarterlyTargets(FilledRule):
    """Quarterly targets that do not make the Tahun PK target under their accumulation.

    The real pattern: a percentage that is a state at the end of the year (*Nilai Akhir*)
    split in four (25, 25, 25, 25 for a target of 100), or a cumulative count whose TW IV
    repeats the year's target. Kumulatif sums the filled quarters, Nilai Akhir takes the last
    filled one, Rata-rata their mean (:func:`pohon_xl.model.cycle.annual`); a `Turun`
    indicator is checked the same way (its target is still the value aimed at). Tolerance:
    0.1 % of the target, at least 0.01, for rounded quarters (8,33 + 8,33 + 8,34).

    Salah: target 10, ``Kumulatif``, ``2,5 5 7,5 10`` · Benar: ``Nilai Akhir``,
    ``2,5 5 7,5 10``.
    """

    code = "RAK02"
    name = "Target triwulan tidak sesuai target tahunan"
    severity = Severity.PERINGATAN
    message = ("Baris {id} ({indicator}): target triwulan menghasilkan {got} ({accumulation}), "
               "sedangkan target {year} di pohon {target}.")
    suggestion = ("Sesuaikan target triwulan, atau periksa Cara Akumulasi (Kumulatif "
                  "menjumlahkan, Nilai Akhir mengambil triwulan terakhir, Rata-rata "
                  "merata-ratakan).")

    def check(self, ctx: Context) -> Iterator[Finding]:
        year = ctx.pk_year
        for row, node, indicator in self.matched(ctx):
            assert isinstance(row, ActionPlanRow)
            accumulation = accumulation_of(row.accumulation)
            target = indicator.targets.get(year) if year else None
            got = annual([c.value for c in row.targets], accumulation or "")
            if accumulation is None or target is None or target.value is None or got is None:
                continue
            if not _close(got, target.value, max(0.01, abs(target.value) * 0.001)):
                yield self.on_row(ctx, row, TARGET_TW[-1], node=node, params={
                    "got": _text(got), "accumulation": accumulation, "year": year,
                    "target": _text(target.value)})


@register
class QuarterlyBudgets(FilledRule):
    """The quarterly budgets of a sub-activity (L5) that do not add up to its budget of the
    Tahun PK.

    The real pattern: the cash plan per quarter (anggaran kas) copied from the DPA before the
    budget revision, so it no longer sums to the sub-activity's ceiling in the tree. Only the
    first row of an L5 node carries its budget; tolerance Rp1.

    Salah: anggaran 250.000.000, ``Anggaran TW I–IV | 50 jt 50 jt 50 jt 50 jt`` · Benar:
    ``50 jt 75 jt 75 jt 50 jt``.
    """

    code = "RAK03"
    name = "Anggaran triwulan tidak sama dengan anggaran tahunan"
    severity = Severity.PERINGATAN
    message = ("Baris {id} ({indicator}): anggaran TW I–IV berjumlah Rp{got}, sedangkan "
               "anggaran {year} subkegiatan ini Rp{budget}.")
    suggestion = "Sesuaikan anggaran per triwulan agar jumlahnya sama dengan anggaran tahunan."

    def check(self, ctx: Context) -> Iterator[Finding]:
        year = ctx.pk_year
        for row, node, indicator in self.matched(ctx):
            assert isinstance(row, ActionPlanRow)
            if year is None or not carries_budget(node, indicator) or not _typed(row.budgets):
                continue
            got = sum(c.value for c in row.budgets if c.value is not None)
            budget = node.budget(year)
            if not _close(got, budget, 1.0):
                yield self.on_row(ctx, row, ANGGARAN_TW[-1], node=node, params={
                    "got": _text(got), "year": year, "budget": _text(budget)})


_NUMBER_HEADERS = {
    C.RENCANA_AKSI: (*TARGET_TW, *ANGGARAN_TW),
    C.REALISASI: (*REALISASI_TW, *REALISASI_ANGGARAN_TW, REALISASI_TAHUN_LALU),
}


def _numbers(row: FilledRow) -> list[Number]:
    if isinstance(row, ActionPlanRow):
        return [*row.targets, *row.budgets]
    if isinstance(row, RealisationRow):
        return [*row.realisations, *row.budget_realisations, row.previous_year]
    return []


@register
class TextInNumberCell(FilledRule):
    """Text in a number cell of `Rencana_Aksi` or `Realisasi`, quoted as typed.

    The real pattern: the realisation typed from a quarterly report as "85 persen",
    "tercapai" or "± 40", so no achievement can be computed. A lone dash (``-``) reads as
    empty; Indonesian numbers (``1.500.000``, ``85,5``) are numbers.

    Salah: ``Realisasi TW I | 85 persen`` · Benar: ``Realisasi TW I | 85``.
    """

    code = "RAK04"
    name = "Teks di sel angka"
    severity = Severity.PERINGATAN
    message = "Baris {id}, kolom {column}: '{value}' bukan angka."
    suggestion = "Tulis angkanya saja (mis. 85 atau 85,5); keterangan di kolom Keterangan."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for sheet_key, headers in _NUMBER_HEADERS.items():
            for row in self.rows(ctx, sheet_key):
                for header, cell in zip(headers, _numbers(row)):
                    if cell.value is None and not_a_number(cell.raw, cell.invalid):
                        yield self.on_row(ctx, row, header, sheet_key=sheet_key, params={
                            "column": header, "value": " ".join(str(cell.raw).split())})


@register
class RowNotInTree(FilledRule):
    """A row of `Rencana_Aksi`/`Realisasi` whose ID and indicator no longer match the tree.

    The real pattern: a node removed or an indicator reworded after the action plan was
    filled. `turunkan` never deletes a typed row: the old one is kept and flagged here, a row
    for the new indicator is appended at the bottom.

    Salah: a row ``SK9`` after node SK9 was removed · Benar: its figures moved to the row of
    the node that replaced it, the old row deleted.
    """

    code = "RAK05"
    name = "Baris tidak ada di pohon"
    severity = Severity.PERINGATAN
    message = "Baris {id} ({indicator}) tidak cocok dengan indikator mana pun di pohon{now}."
    suggestion = ("Pindahkan isian ke baris indikator yang benar (Turunkan menambahkannya di "
                  "bawah), lalu hapus baris ini; atau perbaiki ID/Indikator-nya.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.pk_year is None:
            return
        shared = _filled(ctx)
        for sheet_key in C.FILLED_SHEETS:
            for row in self.rows(ctx, sheet_key):
                if row_key(row) in shared.planned:
                    continue
                names = shared.ids.get(C.normalise_header(row.id))
                now = (f"; indikator {row.id} sekarang: " + "; ".join(names) if names
                       else f"; ID {row.id} tidak ada lagi" if row.id else "")
                yield self.on_row(ctx, row, C.INDIKATOR, sheet_key=sheet_key,
                                  params={"now": now})


@register
class BudgetOverspent(FilledRule):
    """Budget realised over the quarters above the sub-activity's budget of the Tahun PK.

    The real pattern: the cumulative realisation typed into every quarter (Rp200 jt,
    Rp450 jt …) where each column holds that quarter alone, so the sum exceeds the ceiling.

    Salah: anggaran 250 jt, ``Realisasi Anggaran TW I–II | 200 jt 100 jt`` · Benar:
    ``40 jt 70 jt``.
    """

    code = "RAK06"
    name = "Realisasi anggaran melebihi anggaran"
    severity = Severity.PERINGATAN
    message = ("Baris {id} ({indicator}): realisasi anggaran TW I–IV berjumlah Rp{got}, "
               "melebihi anggaran {year} Rp{budget}.")
    suggestion = ("Isi realisasi anggaran per triwulan (bukan kumulatif); bila pagu berubah, "
                  "perbarui Anggaran di sheet L5.")
    sheet_key = C.REALISASI

    def check(self, ctx: Context) -> Iterator[Finding]:
        year = ctx.pk_year
        for row, node, indicator in self.matched(ctx):
            assert isinstance(row, RealisationRow)
            spent = [c.value for c in row.budget_realisations if c.value is not None]
            if year is None or not carries_budget(node, indicator) or not spent:
                continue
            budget = node.budget(year)
            if sum(spent) > budget + 1.0:
                yield self.on_row(ctx, row, REALISASI_ANGGARAN_TW[-1], node=node, params={
                    "got": _text(sum(spent)), "year": year, "budget": _text(budget)})


@register
class RealisedWithoutTarget(FilledRule):
    """A realisation typed for a quarter that has no target in `Rencana_Aksi`.

    The real pattern: the quarterly targets never planned, the realisation reported all the
    same, so that quarter's achievement cannot be computed.

    Salah: ``Target TW III`` kosong, ``Realisasi TW III | 6`` · Benar: ``Target TW III | 7,5``.
    """

    code = "RAK07"
    name = "Realisasi tanpa target triwulan"
    severity = Severity.PERINGATAN
    message = ("Baris {id} ({indicator}): realisasi {quarter} diisi, tetapi target {quarter} "
               "di Rencana_Aksi kosong.")
    suggestion = "Isi target triwulan itu di sheet Rencana_Aksi."
    sheet_key = C.REALISASI

    def check(self, ctx: Context) -> Iterator[Finding]:
        plans = _filled(ctx).action_plan
        for row in ctx.plan.realisation:
            plan = plans.get(row_key(row))
            if plan is None:
                continue
            for quarter, done, target, header in zip(
                    QUARTERS, row.realisations, plan.targets, REALISASI_TW):
                if done.value is not None and target.value is None and target.empty:
                    yield self.on_row(ctx, row, header, params={"quarter": quarter})


@register
class DuplicateRow(FilledRule):
    """Two rows with the same ID and indicator on one sheet (the first one counts).

    The real pattern: a row copied to fill the next quarter, so nobody knows which row holds
    the figures.

    Salah: two ``SK1`` rows for one indicator · Benar: one row per indicator, every quarter on
    it.
    """

    code = "RAK08"
    name = "Baris ganda"
    severity = Severity.PERINGATAN
    message = "Baris {id} ({indicator}) sudah ada di baris {first}; baris ini tidak dipakai."
    suggestion = "Gabungkan isian kedua baris, lalu hapus salah satunya."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for sheet_key in C.FILLED_SHEETS:
            first: dict[Key, int] = {}
            for row in self.rows(ctx, sheet_key):
                seen = first.setdefault(row_key(row), row.row)
                if seen != row.row:
                    yield self.on_row(ctx, row, C.INDIKATOR, sheet_key=sheet_key,
                                      params={"first": seen})


@register
class KeyColumnMissing(FilledRule):
    """`Rencana_Aksi` or `Realisasi` without its `ID` or `Indikator` column.

    The real pattern: the column deleted or its header retyped ("Kode", "Nama Indikator")
    when the sheet was tidied up for printing. Rows are matched to the tree by these two
    columns: without them nothing typed can be checked, and `turunkan` adds no rows (it could
    not find them again and would add them on every run).

    Salah: header ``Kode | Tingkat | Sasaran | Indikator …`` · Benar: ``ID | Tingkat | …``.
    """

    code = "RAK09"
    name = "Kolom kunci tidak ada"
    severity = Severity.PERINGATAN
    message = "Sheet {sheet} tidak memiliki kolom {missing}; barisnya tidak dapat dicocokkan."
    suggestion = ("Kembalikan judul kolom {missing} di baris 1 (atau hapus sheet ini agar "
                  "Turunkan membuatnya lagi; isiannya hilang).")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for sheet_key in C.FILLED_SHEETS:
            info = ctx.plan.filled_sheets.get(sheet_key)
            if info is None or info.last_row <= 1:
                continue
            missing = [h for h in (C.ID, C.INDIKATOR) if h not in info.columns]
            if missing:
                yield Finding(
                    code=self.code, severity=self.severity,
                    message=self.message.format(sheet=info.name, missing=" dan ".join(missing)),
                    suggestion=self.suggestion.format(missing=" dan ".join(missing)),
                    location=Location(info.name, 1))
