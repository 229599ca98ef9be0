"""Structure: the sheets, header rows and the plan period that everything else relies on."""

from __future__ import annotations

from pohon_xl.findings import Severity
from pohon_xl.model import contract as C
from pohon_xl.model.numbers import parse_year
from pohon_xl.rules.base import Context, Rule, register

YEAR_KEYS = (C.KEY_TAHUN_AWAL, C.KEY_TAHUN_AKHIR, C.KEY_TAHUN_PK)


def _years_text(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


def _present(ctx: Context, sheet_key: str) -> bool:
    info = ctx.plan.sheets.get(sheet_key)
    return info is not None and info.present


@register
class MissingSheet(Rule):
    """A sheet of the contract is not in the workbook (sheet names are fixed).

    Galat for `Identitas`, `Jabatan` and `L1`–`L5`. Info for `L6_RHK_Individu` (no SKP can be
    derived) and for `L1_Sasaran_Daerah` in an OPD workbook (`Perangkat Daerah` filled): its
    L1 lives in the body-level workbook.

    Salah: sheet bernama ``L3 Program`` · Benar: ``L3_Sasaran_Program`` (huruf besar/kecil dan
    spasi di tepi boleh berbeda).
    """

    code = "STR01"
    name = "Sheet wajib tidak ada"
    severity = Severity.GALAT
    message = "Sheet '{sheet}' tidak ditemukan di workbook."
    suggestion = (
        "Tambahkan sheet '{sheet}' (salin dari templat) atau kembalikan namanya persis "
        "'{sheet}'."
    )

    def check(self, ctx: Context):
        for name in (C.IDENTITAS, C.JABATAN, *(spec.sheet for spec in C.LEVELS)):
            info = ctx.plan.sheets.get(name)
            if info is None or info.present:
                continue
            soft = name == C.LEVELS[5].sheet or (name == C.LEVELS[0].sheet and ctx.is_opd)
            yield self.at(
                ctx, name, severity=Severity.INFO if soft else None,
                params=dict(sheet=name))


@register
class MissingColumn(Rule):
    """A required column is missing from the header row (row 1) of a sheet.

    Salah: judul kolom ``Pemilik`` · Benar: ``Pemilik Kinerja``.
    """

    code = "STR02"
    name = "Kolom wajib tidak ada"
    severity = Severity.GALAT
    message = "Kolom wajib '{kolom}' tidak ada di baris judul sheet {sheet}."
    suggestion = (
        "Tambahkan kolom '{kolom}' di baris 1 (atau perbaiki judulnya persis '{kolom}'); "
        "isi kolom ini tidak bisa dibaca tanpanya."
    )

    def check(self, ctx: Context):
        for key, info in ctx.plan.sheets.items():
            if info.present:
                for column in info.missing_columns:
                    yield self.at(ctx, key, 1, column, params=dict(sheet=info.name, kolom=column))


@register
class YearMissing(Rule):
    """`Tahun Awal`, `Tahun Akhir` or `Tahun PK` is empty (or its key row is missing).

    Salah: ``Tahun PK |`` (kosong) · Benar: ``Tahun PK | 2026``.
    """

    code = "STR03"
    name = "Tahun periode belum diisi"
    severity = Severity.GALAT
    message = "'{key}' di sheet Identitas belum diisi."
    suggestion = "Isi '{key}' dengan tahun empat angka (mis. 2025) di kolom B."

    def check(self, ctx: Context):
        if not _present(ctx, C.IDENTITAS):
            return
        for key in YEAR_KEYS:
            if ctx.plan.identity.text(key) == "":
                yield self.at_identitas(ctx, key, params=dict(key=key))


@register
class YearInvalid(Rule):
    """`Tahun Awal`, `Tahun Akhir` or `Tahun PK` is not a year.

    Salah: ``Tahun Awal | 2025-2029`` · Benar: ``Tahun Awal | 2025`` dan ``Tahun Akhir | 2029``.
    """

    code = "STR04"
    name = "Tahun tidak valid"
    severity = Severity.GALAT
    message = "'{key}' berisi '{value}', bukan tahun."
    suggestion = "Tulis satu tahun empat angka (mis. 2025) tanpa teks lain."

    def check(self, ctx: Context):
        if not _present(ctx, C.IDENTITAS):
            return
        for key in YEAR_KEYS:
            value = ctx.plan.identity.text(key)
            if value and parse_year(ctx.plan.identity.values.get(key)) is None:
                yield self.at_identitas(ctx, key, params=dict(key=key, value=value))


@register
class PeriodInvalid(Rule):
    """`Tahun Akhir` before `Tahun Awal`, or a period longer than 20 years.

    Salah: ``Tahun Awal 2029``, ``Tahun Akhir 2025`` · Benar: ``2025`` … ``2029``.
    """

    code = "STR05"
    name = "Periode tidak wajar"
    severity = Severity.GALAT
    message = (
        "Periode {start}–{end} tidak wajar: Tahun Akhir harus sama dengan atau sesudah "
        "Tahun Awal."
    )
    suggestion = "Periksa Tahun Awal dan Tahun Akhir (periode RPJMD/Renstra biasanya 5 tahun)."

    def check(self, ctx: Context):
        start, end = ctx.plan.start_year, ctx.plan.end_year
        if start and end and not start <= end <= start + 20:
            yield self.at_identitas(ctx, C.KEY_TAHUN_AKHIR, params=dict(start=start, end=end))


@register
class PkYearOutsidePeriod(Rule):
    """`Tahun PK` is not a year of the plan period.

    Salah: periode 2025–2029, ``Tahun PK | 2031`` · Benar: ``Tahun PK | 2026``.
    """

    code = "STR06"
    name = "Tahun PK di luar periode"
    severity = Severity.GALAT
    message = "Tahun PK {pk} berada di luar periode {start}–{end}."
    suggestion = "Isi Tahun PK dengan salah satu tahun periode {start}–{end}."

    def check(self, ctx: Context):
        pk = ctx.pk_year
        if pk and ctx.period and pk not in ctx.period:
            yield self.at_identitas(
                ctx, C.KEY_TAHUN_PK,
                params=dict(pk=pk, start=ctx.period[0], end=ctx.period[-1]))


def _expected_target_years(ctx: Context, spec: C.LevelSpec) -> list[int]:
    if spec.is_individual:
        return [ctx.pk_year] if ctx.pk_year and ctx.pk_year in ctx.period else []
    return ctx.period


@register
class TargetColumnMissing(Rule):
    """A level sheet lacks a `Target <year>` column of the period (L6: only `Target <Tahun PK>`).

    Salah: periode 2025–2029 tetapi kolom hanya ``Target 2025`` … ``Target 2028`` ·
    Benar: ``Target 2025`` … ``Target 2029``.
    """

    code = "STR07"
    name = "Kolom target tahun tidak ada"
    severity = Severity.GALAT
    message = "Sheet {sheet} tidak memiliki kolom {columns} (periode {start}–{end})."
    suggestion = "Tambahkan kolom {columns} di baris 1, satu kolom per tahun periode."

    def check(self, ctx: Context):
        for spec in C.LEVELS:
            info = ctx.plan.sheets.get(spec.sheet)
            expected = _expected_target_years(ctx, spec)
            if info is None or not info.present or not expected:
                continue
            missing = [y for y in expected if y not in info.years]
            if missing:
                columns = ", ".join(f"'{C.target_header(y)}'" for y in missing)
                yield self.at(
                    ctx, spec.sheet, 1, C.target_header(missing[0]),
                    params=dict(sheet=info.name, columns=columns, start=ctx.period[0], end=ctx.period[-1]))


@register
class TargetColumnExtra(Rule):
    """A `Target <year>` column for a year outside the plan period (its values are ignored).

    Salah: periode 2025–2029 dengan kolom ``Target 2030`` · Benar: hapus kolom itu atau
    perbaiki periode di Identitas.
    """

    code = "STR08"
    name = "Kolom target di luar periode"
    severity = Severity.PERINGATAN
    message = "Sheet {sheet} memiliki kolom {columns} di luar periode {start}–{end}."
    suggestion = (
        "Hapus kolom tersebut, atau perbaiki Tahun Awal/Tahun Akhir di Identitas bila "
        "periodenya yang keliru."
    )

    def check(self, ctx: Context):
        if not ctx.period:
            return
        for spec in C.LEVELS:
            info = ctx.plan.sheets.get(spec.sheet)
            if info is None or not info.present:
                continue
            extra = sorted({y for y in info.years if y not in ctx.period})
            if extra:
                columns = ", ".join(f"'{C.target_header(y)}'" for y in extra)
                yield self.at(
                    ctx, spec.sheet, 1, C.target_header(extra[0]),
                    params=dict(sheet=info.name, columns=columns, start=ctx.period[0], end=ctx.period[-1]))


@register
class BudgetColumnMissing(Rule):
    """The L5 sheet lacks an `Anggaran <year>` column of the period.

    Salah: hanya ``Anggaran 2026`` · Benar: ``Anggaran 2025`` … ``Anggaran 2029``.
    """

    code = "STR09"
    name = "Kolom anggaran tahun tidak ada"
    severity = Severity.GALAT
    message = "Sheet {sheet} tidak memiliki kolom {columns} (periode {start}–{end})."
    suggestion = "Tambahkan kolom {columns} di baris 1; anggaran subkegiatan diisi per tahun."

    def check(self, ctx: Context):
        for spec in C.LEVELS:
            info = ctx.plan.sheets.get(spec.sheet)
            if not spec.has_budget or info is None or not info.present or not ctx.period:
                continue
            missing = [y for y in ctx.period if y not in info.budget_years]
            if missing:
                columns = ", ".join(f"'{C.budget_header(y)}'" for y in missing)
                yield self.at(
                    ctx, spec.sheet, 1, C.budget_header(missing[0]),
                    params=dict(sheet=info.name, columns=columns, start=ctx.period[0], end=ctx.period[-1]))


@register
class BudgetColumnExtra(Rule):
    """An `Anggaran <year>` column outside the period on L5 (its values are ignored).

    Salah: periode 2025–2029 dengan kolom ``Anggaran 2024`` · Benar: hanya 2025–2029.
    """

    code = "STR10"
    name = "Kolom anggaran di luar periode"
    severity = Severity.PERINGATAN
    message = "Sheet {sheet} memiliki kolom {columns} di luar periode {start}–{end}."
    suggestion = "Hapus kolom tersebut, atau perbaiki periode di Identitas."

    def check(self, ctx: Context):
        if not ctx.period:
            return
        for spec in C.LEVELS:
            info = ctx.plan.sheets.get(spec.sheet)
            if not spec.has_budget or info is None or not info.present:
                continue
            extra = sorted({y for y in info.budget_years if y not in ctx.period})
            if extra:
                columns = ", ".join(f"'{C.budget_header(y)}'" for y in extra)
                yield self.at(
                    ctx, spec.sheet, 1, C.budget_header(extra[0]),
                    params=dict(sheet=info.name, columns=columns, start=ctx.period[0], end=ctx.period[-1]))


@register
class OrphanContinuationRow(Rule):
    """A continuation row (no `ID`, no `Sasaran`, but an indicator) with no node above it.

    Salah: baris 2 langsung berisi indikator tanpa ID dan sasaran · Benar: isi ID dan Sasaran
    di baris pertama node; baris lanjutan hanya untuk indikator berikutnya.
    """

    code = "STR11"
    name = "Baris lanjutan tanpa node"
    severity = Severity.GALAT
    message = "Baris ini berisi indikator tanpa ID dan Sasaran, padahal tidak ada node di atasnya."
    suggestion = (
        "Isi ID dan Sasaran di baris ini, atau pindahkan indikatornya ke bawah node yang "
        "dimaksud."
    )

    def check(self, ctx: Context):
        for sheet_key, row in ctx.plan.orphan_rows:
            yield self.at(ctx, sheet_key, row, C.INDIKATOR)


@register
class UnknownYearHeader(Rule):
    """A header that starts like `Target`/`Anggaran` but is not `Target <year>` (ignored).

    Salah: ``Target N+1`` atau ``Target 2026 (perubahan)`` · Benar: ``Target 2026``.
    """

    code = "STR12"
    name = "Judul kolom tahun tidak dikenali"
    severity = Severity.PERINGATAN
    message = "Judul kolom '{label}' di sheet {sheet} tidak dikenali; isinya tidak dibaca."
    suggestion = "Gunakan bentuk 'Target <tahun>' atau 'Anggaran <tahun>' (mis. 'Target 2026')."

    def check(self, ctx: Context):
        for key, info in ctx.plan.sheets.items():
            if info.present:
                for label in info.unknown_year_headers:
                    yield self.at(ctx, key, 1, label, params=dict(sheet=info.name, label=label))


@register
class NoNode(Rule):
    """A workbook whose level sheets hold no node at all: nothing was checked, so it must not
    read as "Tidak ada temuan". The real pattern: a blank template sent back (or the wrong
    file attached) validated with exit status 0.

    Salah: templat kosong dikirim sebagai hasil pengisian · Benar: setidaknya satu sasaran
    (ID dan Sasaran) pada sheet level.
    """

    code = "STR13"
    name = "Workbook tanpa node"
    severity = Severity.GALAT
    message = "Tidak ada satu pun sasaran di sheet level (L1–L6): workbook ini belum diisi."
    suggestion = (
        "Isi sasaran mulai dari {sheet} (ID, Sasaran, Indikator, target), atau kirim berkas "
        "yang sudah diisi."
    )

    def check(self, ctx: Context):
        if ctx.plan.nodes:
            return
        present = [spec.sheet for spec in C.LEVELS if _present(ctx, spec.sheet)]
        if not present:
            return  # every level sheet is missing: STR01 says so
        first = C.LEVELS[1].sheet if ctx.is_opd and C.LEVELS[1].sheet in present else present[0]
        yield self.at(ctx, first, 2, C.ID, params=dict(sheet=ctx.sheet_name(first)))
