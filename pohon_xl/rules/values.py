"""Values (nilai): numbers are numbers, every year has a target, targets move the way the
indicator's direction says, and cascading types are consistent with the parent.
"""

from __future__ import annotations

import re
from operator import attrgetter

from pohon_xl.findings import Severity
from pohon_xl.model import contract as C
from pohon_xl.model.numbers import format_number, parse_range
from pohon_xl.model.plan import Indicator, Node, Number
from pohon_xl.rules.base import Context, Rule, register

ARAH = {value.casefold(): value for value in C.ARAH_VALUES}
CASCADING = {value.casefold(): value for value in C.CASCADING_VALUES}
EPSILON = 1e-9

# Units that are rates, shares, scores or durations: their parts do not add up. Every other
# unit counts something (orang, posyandu, km, dokumen, rupiah …), and counts add up.
NON_ADDITIVE_WORDS = frozenset(
    "persen persentase indeks rasio nilai skor poin predikat tingkat level opini angka "
    "rata-rata rerata proporsi peringkat kategori status "
    "detik menit jam hari minggu bulan triwulan semester tahun".split()
)


def norm_text(value: str) -> str:
    """Indicator text for comparison: no case, punctuation or doubled spaces."""
    return " ".join(re.sub(r"[^\w%]+", " ", value.casefold()).split())


def unit_is_additive(unit: str) -> bool:
    """Whether parts in this unit add up: counts and amounts do; rates, shares, scores and
    durations do not; an empty unit is not assumed to."""
    text = unit.casefold().strip()
    if not text or "%" in text or "/" in text or re.search(r"\bper\b", text):
        return False
    words = re.findall(r"[\w-]+", text)
    return bool(words) and not any(word in NON_ADDITIVE_WORDS for word in words)


_VALUE = attrgetter("value")
_RAW = attrgetter("raw")


def _values(indicator: Indicator, years: list[int]) -> list[float | None]:
    """The indicator's target values for ``years`` (None: empty or not a number)."""
    targets = indicator.targets
    try:
        return list(map(_VALUE, map(targets.__getitem__, years)))
    except KeyError:
        return [cell.value if (cell := targets.get(y)) is not None else None for y in years]


_DASH = re.compile(r"^\s*(rp\.?)?\s*[-\u2013\u2014]+\s*$", re.IGNORECASE)


def not_a_number(raw: object, invalid: bool) -> bool:
    """Invalid, except a lone dash (``-``, ``Rp -``): planners' way of writing "none"."""
    return invalid and not (isinstance(raw, str) and _DASH.match(raw))


def _bad(cell: Number) -> bool:
    """Typed but not a number (the fast path: a parsed value or an empty cell is fine)."""
    if cell.value is not None or cell.raw is None:
        return False
    return not_a_number(cell.raw, cell.invalid)


def _quote(raw: object) -> str:
    return " ".join(str(raw).split())


def _direction(arah: str) -> str | None:
    """`Naik`/`Turun` as the contract spells it, or None (empty or unknown)."""
    return arah if arah in C.ARAH_VALUES else ARAH.get(arah.casefold())




class _Rows:
    """The indicator rows sorted out in one pass for the rules that test them one by one
    (NIL01, NIL03–NIL06, NIL12–NIL14); each rule then looks only at its suspects."""

    def __init__(self, ctx: Context) -> None:
        Row = tuple[Node, Indicator]
        self.odd_arah: dict[str, list[Row]] = {}  # Arah empty or unknown, as typed -> rows
        self.by_aspek: dict[str, list[Row]] = {}  # L6 rows with an Aspek, by its value
        self.unnamed: list[Row] = []  # no Indikator
        self.unitless: list[Row] = []  # an Indikator without Satuan
        self.not_numbers: list[Row] = []  # a baseline or a target typed but no number
        self.gaps: list[Row] = []  # a target of the sheet's years empty or no number
        self.against_direction: list[Row] = []  # targets that move against their Arah
        self.against_baseline: list[Row] = []  # the period ends worse than its baseline
        self.baseless: list[Row] = []  # L1–L5 indicator without a baseline
        self.slips: dict[int, list[Slip]] = {}  # id(indicator) -> values off by x100/x1000
        descending: dict[str, bool | None] = {}  # Arah as typed -> Turun?, None: unknown
        for level in sorted(ctx.by_level):
            years = ctx.sheet_years(level)
            for node in ctx.by_level[level]:
                for indicator in node.indicators:
                    arah = indicator.arah
                    if arah in descending:
                        reverse = descending[arah]
                    else:
                        direction = _direction(arah)
                        reverse = descending[arah] = (
                            None if direction is None else direction != C.ARAH_NAIK
                        )
                    if reverse is None:
                        self.odd_arah.setdefault(arah, []).append((node, indicator))
                    if not indicator.name:
                        self.unnamed.append((node, indicator))
                    elif not indicator.unit:
                        self.unitless.append((node, indicator))
                    if level == 6 and indicator.aspek:
                        self.by_aspek.setdefault(indicator.aspek, []).append((node, indicator))
                    baseline, targets = indicator.baseline, indicator.targets.values()
                    if baseline.value is None and baseline.raw is not None:
                        self.not_numbers.append((node, indicator))
                    elif None in (parsed := list(map(_VALUE, targets))):
                        # A cell without a value is empty unless it holds text (an empty
                        # cell has no value): more cells without a value than without text
                        # means text in one of them.
                        if parsed.count(None) > list(map(_RAW, targets)).count(None):
                            self.not_numbers.append((node, indicator))
                    typed_values = _values(indicator, years)
                    if None in typed_values:
                        self.gaps.append((node, indicator))
                    values: list[float] = [v for v in typed_values if v is not None]
                    start, typed = baseline.value, baseline.raw
                    if typed is None or (typed.__class__ is str and not typed.strip()):
                        if level <= 5 and indicator.name:
                            self.baseless.append((node, indicator))
                    # _steady(values, start), inlined: the common case costs two builtins.
                    if values:
                        low, high = min(values), max(values)
                        if start:
                            low, high = min(low, start), max(high, start)
                        steady = low > 0 and high < SLIP_RATIO * low
                    else:
                        steady = True
                    slips = None if steady else _scale_slips(indicator, years)
                    if slips:
                        # A thousands separator read as a decimal one is the cause; the
                        # direction rules would point the planner elsewhere.
                        self.slips[id(indicator)] = slips
                        continue
                    if reverse is not None and values != sorted(values, reverse=reverse):
                        self.against_direction.append((node, indicator))
                    if reverse is not None and start is not None and values and (
                        values[-1] > start + EPSILON if reverse else values[-1] < start - EPSILON
                    ):
                        self.against_baseline.append((node, indicator))


# A value this many times off the others, with the others within SPREAD of each other, is a
# slip of the decimal point (thousands typed as decimals: "2.540" read as 2,54).
SLIP_RATIO, SPREAD = 30.0, 5.0
Slip = tuple[str, float, int, bool, list[float]]  # column, value, factor, smaller, others


def _scale_slips(indicator: Indicator, years: list[int]) -> list[Slip]:
    """The baseline or targets that are about x100 or x1000 off all the other values."""
    cells = [(C.BASELINE, indicator.baseline)] if indicator.baseline.value else []
    targets = indicator.targets
    cells += [(C.target_header(y), c) for y in years if (c := targets.get(y)) is not None and c.value]
    if len(cells) < 3:
        return []
    values = [abs(c.value) for _, c in cells]  # type: ignore[arg-type]
    if max(values) < SLIP_RATIO * min(values):
        return []  # the common case: one pass, nothing to look at
    slips: list[Slip] = []
    for index, (column, _) in enumerate(cells):
        value = values[index]
        others = values[:index] + values[index + 1:]
        if max(others) > SPREAD * min(others):
            continue
        middle = sorted(others)[len(others) // 2]
        ratio = max(middle / value, value / middle)
        if ratio < SLIP_RATIO:
            continue
        factor = 100 if ratio < 316 else 1000 if ratio < 3162 else 0
        if factor:
            slips.append((column, cells[index][1].value, factor, value < middle, others))  # type: ignore[arg-type]
    return slips


def _rows(ctx: Context) -> _Rows:
    return ctx.shared("values.rows", _Rows)


@register
class TargetNotNumber(Rule):
    """A baseline or target that is not a number (placeholders such as ``xxx``, or text).

    Salah: ``Target 2026 | xxx`` atau ``± 70 persen`` · Benar: ``70`` (satuan ``%`` di kolom
    Satuan). Indikator kualitatif (mis. opini BPK) ditulis sebagai skala angka. Tanda ``-``
    saja dibaca sebagai "tidak ada target" dan tidak dilaporkan; target berupa rentang
    (``70–80``, ``≥ 80``, ``≤ 5``) juga tidak: capaiannya dihitung terhadap batas terdekat.
    """

    code = "NIL01"
    name = "Target atau baseline bukan angka"
    severity = Severity.PERINGATAN
    message = "{kolom} berisi '{raw}', bukan angka."
    suggestion = (
        "Tulis angka saja (mis. 70 atau 0,85; satuan di kolom Satuan). Untuk indikator "
        "kualitatif gunakan skala angka dan jelaskan di Keterangan."
    )

    def check(self, ctx: Context):
        for node, indicator in _rows(ctx).not_numbers:
            bad = [(C.BASELINE, indicator.baseline)] if _bad(indicator.baseline) else []
            bad += [
                (C.target_header(y), c)
                for y, c in indicator.targets.items()
                if c.value is None and c.raw is not None and _bad(c)
                and parse_range(c.raw) is None
            ]
            for column, cell in bad:
                yield self.at_node(
                    ctx, node, column, row=indicator.row,
                    params=dict(kolom=column, raw=_quote(cell.raw)))


@register
class BudgetNotNumber(Rule):
    """A budget (`Anggaran <year>`) that is not a number: it cannot be summed into the
    programme's ceiling (pagu).

    Salah: ``Anggaran 2026 | dua ratus juta`` · Benar: ``200.000.000``. Tanda ``-`` atau
    ``Rp -`` saja dibaca sebagai nol (lihat ANG01).
    """

    code = "NIL02"
    name = "Anggaran bukan angka"
    severity = Severity.GALAT
    message = "{kolom} berisi '{raw}', bukan angka rupiah."
    suggestion = "Tulis nilai rupiah sebagai angka (mis. 250.000.000); kosongkan bila belum ada."

    def check(self, ctx: Context):
        for node in ctx.budget_nodes:
            for indicator in node.indicators:
                for year, cell in indicator.budgets.items():
                    if not _bad(cell):
                        continue
                    column = C.budget_header(year)
                    yield self.at_node(
                        ctx, node, column, row=indicator.row,
                        params=dict(kolom=column, raw=_quote(cell.raw)))


def _empty_years(indicator: Indicator, years: list[int]) -> list[int]:
    """The years whose target cell is empty (not: holds text that is no number)."""
    targets = indicator.targets
    return [
        y
        for y in years
        if (c := targets.get(y)) is not None
        and (c.raw is None or (isinstance(c.raw, str) and not c.raw.strip()))
    ]


@register
class TargetMissing(Rule):
    """An indicator without a target for a year of the period (L6: for `Tahun PK` only; on
    L1–L5 an empty `Tahun PK` target is NIL15, a Galat).

    Salah: ``Target 2027`` kosong · Benar: target diisi untuk setiap tahun 2025–2029.
    """

    code = "NIL03"
    name = "Target tahun kosong"
    severity = Severity.PERINGATAN
    message = "Target tahun {years} belum diisi."
    suggestion = "Isi target setiap tahun periode; target tahun PK dipakai di PK dan SKP."

    def check(self, ctx: Context):
        years = {level: ctx.sheet_years(level) for level in ctx.by_level}
        for node, indicator in _rows(ctx).gaps:
            pk_gap = ctx.pk_year if node.level <= 5 else None  # NIL15 reports that one
            missing = [y for y in _empty_years(indicator, years[node.level]) if y != pk_gap]
            if missing:
                yield self.at_node(
                    ctx, node, C.target_header(missing[0]), row=indicator.row,
                    params=dict(years=", ".join(str(y) for y in missing)))


@register
class TargetAgainstDirection(Rule):
    """Targets that move against the indicator's direction (`Arah`) from one year to the next.

    Salah: ``Arah | Turun`` dengan target 20, 18, 19 · Benar: 20, 18, 17 (atau ``Arah | Naik``
    bila nilai lebih tinggi memang lebih baik).
    """

    code = "NIL04"
    name = "Target berlawanan dengan arah"
    severity = Severity.PERINGATAN
    message = (
        "Arah '{arah}' tetapi target {year} ({value}) {wrong} dari target {previous_year} "
        "({previous})."
    )
    suggestion = "Periksa target atau Arah; dengan Arah '{arah}' target tiap tahun {rule}."

    def check(self, ctx: Context):
        years = {level: ctx.sheet_years(level) for level in ctx.by_level}
        for node, indicator in _rows(ctx).against_direction:
            arah = _direction(indicator.arah)
            naik = arah == C.ARAH_NAIK
            node_years = years[node.level]
            values = _values(indicator, node_years)
            series = [(y, v) for y, v in zip(node_years, values) if v is not None]
            for (year0, value0), (year, value) in zip(series, series[1:]):
                if value < value0 - EPSILON if naik else value > value0 + EPSILON:
                    yield self.at_node(
                        ctx, node, C.target_header(year), row=indicator.row,
                        params=dict(arah=arah, year=year, value=format_number(value), previous_year=year0, previous=format_number(value0), wrong="lebih rendah" if naik else "lebih tinggi", rule="sama atau lebih tinggi" if naik else "sama atau lebih rendah"))
                    break


@register
class DirectionMissing(Rule):
    """An indicator on L1–L5 without `Arah`: achievement cannot be computed.

    Salah: ``Arah`` kosong · Benar: ``Naik`` (nilai lebih tinggi lebih baik) atau ``Turun``.
    """

    code = "NIL05"
    name = "Arah kosong"
    severity = Severity.PERINGATAN
    message = "Arah indikator belum diisi."
    suggestion = "Isi Arah dengan 'Naik' (nilai lebih tinggi lebih baik) atau 'Turun'."

    def check(self, ctx: Context):
        for node, indicator in _rows(ctx).odd_arah.get("", []):
            if node.level <= 5 and ctx.has_column(node.spec.sheet, C.ARAH):
                yield self.at_node(ctx, node, C.ARAH, row=indicator.row)


@register
class DirectionUnknown(Rule):
    """`Arah` with a value other than `Naik` or `Turun`.

    Salah: ``Arah | Meningkat`` · Benar: ``Arah | Naik``.
    """

    code = "NIL06"
    name = "Arah tidak dikenal"
    severity = Severity.PERINGATAN
    message = "Arah '{value}' tidak dikenal."
    suggestion = "Pilih 'Naik' atau 'Turun' dari daftar."

    def check(self, ctx: Context):
        for value, rows in _rows(ctx).odd_arah.items():
            if value:
                for node, indicator in rows:
                    yield self.at_node(
                        ctx, node, C.ARAH, row=indicator.row,
                        params=dict(value=value))


@register
class CascadingMissing(Rule):
    """A node on L2–L5 without `Jenis Cascading`: how it relates to its parent is unknown.

    Salah: ``Jenis Cascading`` kosong · Benar: ``Langsung``, ``Berbagi`` atau ``Kontribusi``.
    """

    code = "NIL07"
    name = "Jenis Cascading kosong"
    severity = Severity.PERINGATAN
    message = "Jenis Cascading node '{id}' belum diisi."
    suggestion = (
        "Isi 'Langsung' (indikator induk utuh), 'Berbagi' (bagian dari target induk) atau "
        "'Kontribusi' (indikator sendiri yang memengaruhi induk)."
    )

    def check(self, ctx: Context):
        for node in ctx.by_cascading.get("", []):
            if 2 <= node.level <= 5 and ctx.has_column(node.spec.sheet, C.JENIS_CASCADING):
                yield self.at_node(ctx, node, C.JENIS_CASCADING)


@register
class CascadingUnknown(Rule):
    """`Jenis Cascading` with a value other than `Langsung`, `Berbagi` or `Kontribusi`.

    Salah: ``Jenis Cascading | Langsung penuh`` · Benar: ``Langsung``.
    """

    code = "NIL08"
    name = "Jenis Cascading tidak dikenal"
    severity = Severity.PERINGATAN
    message = "Jenis Cascading '{value}' tidak dikenal."
    suggestion = "Pilih 'Langsung', 'Berbagi' atau 'Kontribusi' dari daftar."

    def check(self, ctx: Context):
        for value, nodes in ctx.by_cascading.items():
            if value and value.casefold() not in CASCADING:
                for node in nodes:
                    if node.level > 1:
                        yield self.at_node(ctx, node, C.JENIS_CASCADING, params=dict(value=value))


def _indicator_index(node: Node) -> dict[str, Indicator]:
    index: dict[str, Indicator] = {}
    for indicator in node.indicators:
        if indicator.name:
            index.setdefault(norm_text(indicator.name), indicator)
    return index


@register
class DirectIndicatorDiffers(Rule):
    """`Langsung` cascading whose indicator is not the parent's (compared without case and
    punctuation). A different indicator that causes the parent's is `Kontribusi`.

    Salah: induk ``Persentase jalan mantap``; anak ``Langsung`` dengan ``Panjang jalan
    diperbaiki`` · Benar: anak memakai ``Persentase jalan mantap``, atau jenisnya
    ``Kontribusi``.
    """

    code = "NIL09"
    name = "Cascading Langsung dengan indikator berbeda"
    severity = Severity.PERINGATAN
    message = (
        "Jenis Cascading 'Langsung' tetapi indikator '{indicator}' tidak ada pada induk '{parent}'"
        " ({parent_indicator})."
    )
    suggestion = "Pakai indikator induk apa adanya, atau ubah Jenis Cascading menjadi 'Kontribusi'."

    def check(self, ctx: Context):
        for node in ctx.cascading(C.LANGSUNG):
            parent = ctx.tree.parent_of[id(node)]
            if parent is None:
                continue
            names = _indicator_index(parent)
            if not names:
                continue
            first = next(iter(names.values())).name
            for indicator in node.indicators:
                if indicator.name and norm_text(indicator.name) not in names:
                    yield self.at_node(
                        ctx, node, C.INDIKATOR, row=indicator.row,
                        params=dict(indicator=indicator.name, parent=parent.id, parent_indicator=first))


@register
class DirectTargetDiffers(Rule):
    """`Langsung` cascading with the parent's indicator but a different target in some year
    (the child carries the parent's indicator unchanged, with the same target every year).

    Salah: induk 80 %, anak ``Langsung`` 75 % untuk indikator yang sama · Benar: 80 %, atau
    ``Berbagi`` bila target dibagi.
    """

    code = "NIL10"
    name = "Cascading Langsung dengan target berbeda"
    severity = Severity.PERINGATAN
    message = (
        "Jenis Cascading 'Langsung' tetapi target tahun {years} berbeda dari target induk "
        "'{parent}' (mis. {year}: {value}, induk {parent_value})."
    )
    suggestion = "Samakan target dengan induk, atau ubah Jenis Cascading menjadi 'Berbagi'."

    def check(self, ctx: Context):
        for node in ctx.cascading(C.LANGSUNG):
            parent = ctx.tree.parent_of[id(node)]
            if parent is None:
                continue
            names = _indicator_index(parent)
            for indicator in node.indicators:
                match = names.get(norm_text(indicator.name)) if indicator.name else None
                if match is None:
                    continue
                differing = [
                    (year, own.value, theirs.value)
                    for year, own in sorted(indicator.targets.items())
                    if (theirs := match.targets.get(year)) is not None
                    and own.value is not None and theirs.value is not None
                    and abs(own.value - theirs.value) > EPSILON
                ]
                if differing:
                    year, value, parent_value = differing[0]
                    yield self.at_node(
                        ctx, node, C.target_header(year), row=indicator.row,
                        params=dict(years=", ".join(str(y) for y, _, _ in differing), year=year, value=format_number(value), parent=parent.id, parent_value=format_number(parent_value)))


def _shared_part(child: Node, parent_indicator: Indicator, single: bool) -> Indicator | None:
    """The child's indicator that shares ``parent_indicator`` (same name; or same unit when
    both have a single indicator)."""
    key = norm_text(parent_indicator.name)
    for indicator in child.indicators:
        if indicator.name and norm_text(indicator.name) == key:
            return indicator
    if single and len(child.indicators) == 1:
        only = child.indicators[0]
        if norm_text(only.unit) == norm_text(parent_indicator.unit):
            return only
    return None


@register
class SharedTargetsExceedParent(Rule):
    """`Berbagi` children whose `Tahun PK` targets add up to more than the parent's, for an
    additive unit (counts, lengths, rupiah …; not %, indeks, rasio, nilai).

    Salah: induk 100 km; tiga anak ``Berbagi`` 40 + 40 + 30 km · Benar: bagian-bagian
    berjumlah paling banyak 100 km.
    """

    code = "NIL11"
    name = "Jumlah target Berbagi melebihi induk"
    severity = Severity.PERINGATAN
    message = (
        "Target {year} node Berbagi di bawah '{id}' ({children}) berjumlah {total}, melebihi "
        "target induk {target} {unit}."
    )
    suggestion = (
        "Bagi target induk di antara node Berbagi sehingga jumlahnya tidak melebihi {target}."
    )

    def check(self, ctx: Context):
        year = ctx.pk_year
        if year is None:
            return
        for parent_id, children in ctx.berbagi_children.items():
            parent = ctx.tree.by_id[parent_id]
            named = [i for i in parent.indicators if i.name]
            for parent_indicator in named:
                target = parent_indicator.targets.get(year)
                if target is None or target.value is None:
                    continue
                if not unit_is_additive(parent_indicator.unit):
                    continue
                parts = []
                for child in children:
                    part = _shared_part(child, parent_indicator, len(named) == 1)
                    cell = part.targets.get(year) if part else None
                    if cell is not None and cell.value is not None:
                        parts.append((child.id, cell.value))
                total = sum(value for _, value in parts)
                if parts and total > target.value + EPSILON:
                    yield self.at_node(
                        ctx, parent, C.target_header(year), row=parent_indicator.row,
                        params=dict(year=year, total=format_number(total), target=format_number(target.value), unit=parent_indicator.unit, children=", ".join(f"{cid} {format_number(v)}" for cid, v in parts)))


@register
class IndicatorMissing(Rule):
    """A node (or a continuation row) without an indicator: it cannot be measured.

    Salah: sasaran ``Menurunnya kemacetan`` dengan ``Indikator`` kosong · Benar: ``Indikator |
    Rata-rata kecepatan kendaraan pada jam sibuk``.
    """

    code = "NIL12"
    name = "Indikator kosong"
    severity = Severity.PERINGATAN
    message = "Baris ini tidak memiliki indikator."
    suggestion = "Rumuskan indikator yang mengukur sasaran ini (apa yang diukur, dengan satuan)."

    def check(self, ctx: Context):
        for node, indicator in _rows(ctx).unnamed:
            if ctx.has_column(node.spec.sheet, C.INDIKATOR):
                yield self.at_node(ctx, node, C.INDIKATOR, row=indicator.row)


@register
class UnitMissing(Rule):
    """An indicator without a unit (`Satuan`).

    Salah: ``Satuan`` kosong untuk ``Persentase jalan mantap`` · Benar: ``Satuan | %``.
    """

    code = "NIL13"
    name = "Satuan kosong"
    severity = Severity.PERINGATAN
    message = "Indikator '{indicator}' tidak memiliki satuan."
    suggestion = "Isi Satuan (mis. %, km, unit, orang, indeks)."

    def check(self, ctx: Context):
        for node, indicator in _rows(ctx).unitless:
            if ctx.has_column(node.spec.sheet, C.SATUAN):
                yield self.at_node(
                    ctx, node, C.SATUAN, row=indicator.row,
                    params=dict(indicator=indicator.name))


ASPEK = {value.casefold(): value for value in C.ASPEK_VALUES}


@register
class UnknownAspek(Rule):
    """An RHK indicator whose `Aspek` is not one of the SKP aspects.

    Salah: ``Aspek | Mutu`` · Benar: ``Aspek | Kualitas`` (Kuantitas, Kualitas, Waktu, Biaya).
    """

    code = "NIL14"
    name = "Aspek tidak dikenal"
    severity = Severity.PERINGATAN
    message = "Aspek '{value}' tidak dikenal; SKP hanya mengenal Kuantitas, Kualitas, Waktu, Biaya."
    suggestion = "Pilih Aspek dari daftar: Kuantitas, Kualitas, Waktu atau Biaya."

    def check(self, ctx: Context):
        for value, rows in _rows(ctx).by_aspek.items():
            if value.casefold() not in ASPEK:
                for node, indicator in rows:
                    yield self.at_node(
                        ctx, node, C.ASPEK, row=indicator.row,
                        params=dict(value=value))


@register
class PkTargetMissing(Rule):
    """An L1–L5 indicator whose `Tahun PK` target is empty: the node gets a PK, and the PK
    would print an empty target. A Galat, as the template's `Petunjuk` says ("target tidak
    terisi"). The real pattern: a Renstra copied into the workbook before the PK year's
    column was filled; the PK was signed with a blank target.

    Salah: ``Target 2026`` kosong dengan ``Tahun PK | 2026`` · Benar: ``Target 2026 | 65``.
    """

    code = "NIL15"
    name = "Target Tahun PK kosong"
    severity = Severity.GALAT
    message = "Target tahun PK {year} belum diisi; PK akan mencetak target kosong."
    suggestion = "Isi Target {year}: target inilah yang masuk ke PK dan disepakati pemiliknya."

    def check(self, ctx: Context):
        year = ctx.pk_year
        if year is None:
            return
        for node, indicator in _rows(ctx).gaps:
            if node.level <= 5 and _empty_years(indicator, [year]):
                yield self.at_node(
                    ctx, node, C.target_header(year), row=indicator.row,
                    params=dict(year=year))


@register
class TargetAgainstBaseline(Rule):
    """An indicator whose target at the end of the period is worse than its baseline, for its
    `Arah`: the plan promises a decline. The real pattern: a whole office's `Naik`
    indicators with baseline 100 and target 90 every year (targets typed as "realistic"
    values, or a baseline copied from another indicator).

    Salah: ``Arah | Naik``, ``Baseline | 100``, target 90 setiap tahun · Benar: target akhir
    periode paling sedikit 100, atau baseline yang benar.
    """

    code = "NIL16"
    name = "Target akhir lebih buruk dari baseline"
    severity = Severity.PERINGATAN
    message = (
        "Arah '{arah}' tetapi target akhir periode {year} ({value}) {wrong} dari baseline "
        "({baseline})."
    )
    suggestion = (
        "Periksa Baseline (kondisi awal) dan target: dengan Arah '{arah}' kondisi akhir "
        "seharusnya {rule} baseline."
    )

    def check(self, ctx: Context):
        years = {level: ctx.sheet_years(level) for level in ctx.by_level}
        for node, indicator in _rows(ctx).against_baseline:
            arah = _direction(indicator.arah)
            naik = arah == C.ARAH_NAIK
            series = [
                (y, v) for y, v in zip(years[node.level], _values(indicator, years[node.level]))
                if v is not None
            ]
            year, value = series[-1]
            yield self.at_node(
                ctx, node, C.target_header(year), row=indicator.row,
                params=dict(arah=arah, year=year, value=format_number(value), baseline=format_number(indicator.baseline.value or 0.0), wrong="lebih rendah" if naik else "lebih tinggi", rule="sama dengan atau lebih tinggi dari" if naik else "sama dengan atau lebih "
                "rendah dari"))


@register
class BaselineMissing(Rule):
    """An L1–L5 indicator without a baseline: the condition at the start of the period (the
    *kondisi awal* the LKE and the Renstra matrices ask for) is unknown, so no target can be
    judged. The real pattern: an office's Renstra with 68 of its 69 indicators without a
    baseline. A new indicator without data writes ``0`` and says so in `Keterangan`.

    Salah: ``Baseline`` kosong · Benar: ``Baseline | 72,5`` (capaian tahun sebelum periode).
    """

    code = "NIL17"
    name = "Baseline kosong"
    severity = Severity.PERINGATAN
    message = "Indikator '{indicator}' tidak memiliki baseline (kondisi awal)."
    suggestion = (
        "Isi Baseline dengan capaian tahun sebelum periode; untuk indikator baru tulis 0 dan "
        "jelaskan di Keterangan."
    )

    def check(self, ctx: Context):
        for node, indicator in _rows(ctx).baseless:
            if ctx.has_column(node.spec.sheet, C.BASELINE):
                yield self.at_node(
                    ctx, node, C.BASELINE, row=indicator.row,
                    params=dict(indicator=indicator.name))


@register
class ScaleSlip(Rule):
    """A baseline or target about x100 or x1000 off every other value of the indicator:
    thousands typed with a decimal separator ("2.540" read as 2,54), or a share typed as a
    fraction (0,85 for 85 %). The real pattern: "2540 → 2.6" and "1200 → 1.21" in one year
    of a Renstra, which showed only as a target moving against `Arah`, pointing the planner
    at the wrong cause (NIL04 and NIL16 stay silent on such a row).

    Salah: target 2540, 2600, 2,6, 2700, 2750 · Benar: 2540, 2600, 2650, 2700, 2750.
    """

    code = "NIL18"
    name = "Nilai meleset ratusan/ribuan kali"
    severity = Severity.PERINGATAN
    message = (
        "{kolom} ({value}) sekitar {factor}× {side} dari nilai lain indikator ini ({others}): "
        "pemisah ribuan?"
    )
    suggestion = (
        "Periksa pemisah ribuan dan desimal (mis. 2.540 tertulis 2,54) atau persen yang "
        "ditulis sebagai pecahan."
    )

    def check(self, ctx: Context):
        rows = _rows(ctx)
        if not rows.slips:
            return
        for level in sorted(ctx.by_level):
            for node in ctx.by_level[level]:
                for indicator in node.indicators:
                    for column, value, factor, smaller, others in rows.slips.get(
                        id(indicator), []
                    ):
                        yield self.at_node(
                            ctx, node, column, row=indicator.row,
                            params=dict(kolom=column, value=format_number(value), factor=factor, side="lebih kecil" if smaller else "lebih besar", others=", ".join(format_number(v) for v in others)))
