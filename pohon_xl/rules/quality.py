"""Quality of wording (kualitas rumusan): strategic and tactical indicators measure results,
not activity; a sasaran reads as a condition, not as an activity.

These are heuristics on Indonesian word forms, kept deliberately narrow: they flag the clear
cases the reviewers of PermenPANRB 89/2021 point out and stay silent when unsure.
"""

from __future__ import annotations

import re

from pohon_xl.findings import Severity
from pohon_xl.model import contract as C
from pohon_xl.model.plan import Node
from pohon_xl.rules.base import Context, Rule, register

# Indicators that count outputs or processes ("Jumlah rapat ...", "Terlaksananya ...").
_PROCESS_INDICATOR = re.compile(
    r"^(jumlah|banyaknya|frekuensi)\s+(kegiatan|rapat|laporan|dokumen|sosialisasi|pelatihan|"
    r"bimtek|bimbingan teknis|koordinasi|rakor|pertemuan|fasilitasi|monitoring|monev|"
    r"paket|peserta (pelatihan|sosialisasi|bimtek)|kali)\b"
    r"|^(terlaksananya|tersusunnya|terselenggaranya|dilaksanakannya|tersampaikannya)\b"
    r"|^persentase\s+(kegiatan|program)\s+yang\s+(terlaksana|dilaksanakan)\b"
    r"|^persentase\s+(penyerapan|realisasi)\s+anggaran\b",
    re.IGNORECASE,
)

# First words of a sasaran phrased as an activity: nouns of action and verbs.
_ACTIVITY_NOUNS = frozenset(
    """pembangunan penyusunan pelatihan pelaksanaan pengadaan peningkatan pengembangan
    penyediaan pemeliharaan penyelenggaraan pembinaan pengelolaan perencanaan penataan
    penanganan penertiban pemasangan perbaikan rehabilitasi fasilitasi koordinasi sosialisasi
    bimbingan bimtek rapat monitoring evaluasi pendampingan penguatan pemberdayaan penyuluhan
    pengawasan pemantauan pembuatan penerbitan pengumpulan penyaluran pemberian optimalisasi
    revitalisasi normalisasi kegiatan program penegakan pengendalian penyiapan pengujian
    pengolahan pemutakhiran penetapan pencegahan penanggulangan pelestarian pemulihan
    pembayaran pengiriman penempatan pembentukan penelitian pengkajian kajian survei lomba
    operasional penyelesaian penambahan pengurangan penurunan""".split()
)
_CONDITION_SUFFIX = "nya"
# Words starting with "me" that are not verbs.
_NOT_VERBS = frozenset("mekanisme media metode mental merek menara mesin meter".split())


# The first word, with a suffix "nya" typed apart ("Meningkat nya", "Meningkat-nya") joined
# to it: planners' spacing must not turn a condition into an activity.
_FIRST_WORD = re.compile(r"\W*([\w-]+?)(?:-?\s*-?\s*(nya))?(?![\w-])", re.IGNORECASE)


def first_word(text: str) -> str:
    match = _FIRST_WORD.match(text)
    if not match:
        return ""
    return (match.group(1) + (match.group(2) or "")).casefold()


def reads_as_activity(sasaran: str) -> bool:
    """True when the sasaran starts with an activity verb (``Meningkatkan``, ``Menyusun``) or
    an action noun (``Pembangunan``, ``Pelatihan``) instead of a condition (``Meningkatnya``,
    ``Terwujudnya``, ``Berkurangnya``)."""
    word = first_word(sasaran)
    if not word or word.endswith(_CONDITION_SUFFIX):
        return False
    if word in _ACTIVITY_NOUNS:
        return True
    # me-/mem-/men-/meng-/meny- verbs: meningkatkan, melaksanakan, menyusun, membangun ...
    return word.startswith("me") and len(word) > 5 and word not in _NOT_VERBS


@register
class ProcessIndicator(Rule):
    """An L1–L3 indicator that only counts outputs or processes (``Jumlah kegiatan …``,
    ``Jumlah rapat …``, ``Jumlah laporan …``, ``Terlaksananya …``). Strategic and tactical
    levels are measured by outcomes.

    Salah: L2 ``Jumlah rapat koordinasi lalu lintas`` · Benar: ``Rata-rata kecepatan
    kendaraan pada jam sibuk`` (kondisi yang berubah karena rapat itu).
    """

    code = "KUA01"
    name = "Indikator strategis/taktis hanya mengukur proses"
    severity = Severity.PERINGATAN
    message = (
        "Indikator '{indicator}' di L{node_level} hanya menghitung output/proses, bukan hasil "
        "(outcome)."
    )
    suggestion = (
        "Rumuskan indikator hasil: perubahan kondisi yang dituju (mis. persentase, indeks, "
        "rata-rata), dan pindahkan hitungan kegiatan ke level subkegiatan/RHK."
    )

    def check(self, ctx: Context):
        for level in (1, 2, 3):
            for node in ctx.by_level.get(level, []):
                for indicator in node.indicators:
                    if indicator.name and _PROCESS_INDICATOR.match(indicator.name.strip()):
                        yield self.at_node(
                            ctx, node, C.INDIKATOR, row=indicator.row,
                            params=dict(indicator=indicator.name, node_level=level),
                        )


@register
class SasaranAsActivity(Rule):
    """A sasaran on L1–L5 phrased as an activity instead of a condition. A sasaran names the
    condition to be reached: ``Meningkatnya …``, ``Menurunnya …``, ``Terwujudnya …``,
    ``Tersedianya …``, ``Berkurangnya …`` (the ``Ter-/Me-/Ber-/Pe- … -nya`` forms). Info on L5
    (operational level, closer to the activity), Peringatan above.

    Spacing is tolerated: ``Meningkat nya …`` (a stray space, a real Renstra's typing) is a
    condition, not an activity.

    Salah: ``Meningkatkan kelancaran lalu lintas`` atau ``Pembangunan halte`` ·
    Benar: ``Meningkatnya kelancaran lalu lintas``, ``Tersedianya halte yang layak``.
    """

    code = "KUA02"
    name = "Sasaran dirumuskan sebagai kegiatan"
    severity = Severity.PERINGATAN
    message = (
        "Sasaran '{sasaran}' dirumuskan sebagai kegiatan ('{word}'), bukan sebagai kondisi yang "
        "dituju."
    )
    suggestion = (
        "Rumuskan sebagai kondisi, mis. 'Meningkatnya …', 'Menurunnya …', 'Terwujudnya …', "
        "'Tersedianya …'."
    )

    def check(self, ctx: Context):
        verdicts: dict[str, bool] = {}  # sasaran texts repeat across rows
        for level in range(1, 6):
            for node in ctx.by_level.get(level, []):
                sasaran = node.sasaran
                if not sasaran:
                    continue
                activity = verdicts.get(sasaran)
                if activity is None:
                    activity = verdicts[sasaran] = reads_as_activity(sasaran)
                if activity:
                    word = re.match(r"\W*([\w-]+)", sasaran).group(1)  # type: ignore[union-attr]
                    yield self.at_node(
                        ctx, node, C.SASARAN, params=dict(sasaran=node.sasaran, word=word),
                        severity=Severity.INFO if level == 5 else None,
                    )


_OUTPUT_COUNT = re.compile(r"^(jumlah|banyaknya|total)\b", re.IGNORECASE)


@register
class OutputCountAtActivity(Rule):
    """An L4 (sasaran kegiatan, a tactical immediate outcome) indicator that counts outputs
    (``Jumlah …`` with `Arah` `Naik`): what the activity produces, not the change it brings.
    KUA01 stops at L3; this is the L4 counterpart. A count that should go down (``Jumlah
    pelanggaran …`` with `Arah` `Turun`) measures a condition and is not reported. The real
    pattern: the sub-activity indicators of the Kepmendagri list ("Jumlah Dokumen …",
    "Jumlah Laporan …") copied up as the indicators of 74 of 76 L4 nodes of two offices.

    Salah: L4 ``Jumlah dokumen perencanaan perangkat daerah`` · Benar: ``Persentase dokumen
    perencanaan yang ditetapkan tepat waktu`` (hitungan dokumen tempatnya di L5).
    """

    code = "KUA03"
    name = "Indikator sasaran kegiatan menghitung keluaran"
    severity = Severity.PERINGATAN
    message = (
        "Indikator '{indicator}' di L4 menghitung keluaran, bukan hasil langsung (immediate "
        "outcome) kegiatan."
    )
    suggestion = (
        "Ukur perubahan yang dihasilkan kegiatan (mis. persentase, tingkat, rata-rata); "
        "hitungan keluaran ('Jumlah …') tempatnya di subkegiatan (L5) atau RHK."
    )

    def check(self, ctx: Context):
        for node in ctx.by_level.get(4, []):
            for indicator in node.indicators:
                name = indicator.name.strip()
                if not name or not _OUTPUT_COUNT.match(name):
                    continue
                if indicator.arah.strip().casefold() == C.ARAH_TURUN.casefold():
                    continue
                yield self.at_node(
                    ctx, node, C.INDIKATOR, row=indicator.row,
                    params=dict(indicator=indicator.name))


def _offices(ctx: Context) -> dict[str, str]:
    """Kode Jabatan -> the office it belongs to: the top of its chain of superiors below the
    Kepala Daerah. Offices write the same support sasaran on purpose; a body-level workbook
    holds many offices."""
    positions, result = ctx.positions, dict[str, str]()
    for code in positions:
        chain, current = [], code
        while current in positions and current not in chain and current not in result:
            chain.append(current)
            superior = positions[current].superior
            if superior not in positions or positions[superior].kind.strip().casefold() == (
                C.KEPALA_DAERAH.casefold()
            ):
                break
            current = superior
        top = result.get(current, chain[-1] if chain else code)
        for visited in chain:
            result[visited] = top
    return result


def _sasaran_key(text: str) -> str:
    """A sasaran compared without case, punctuation or spacing."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


@register
class DuplicateSasaran(Rule):
    """The same sasaran text on two nodes of one level of L1–L5 of one office (case,
    punctuation and spacing aside; in a body-level workbook each office is the chain of
    positions under its head): one condition owned twice, or a copy-paste left unedited. `Berbagi` nodes with
    different owners share a condition on purpose and are not reported.

    Salah: dua node L3 ``Meningkatnya kualitas pelayanan publik kecamatan`` · Benar: satu
    node (beberapa indikator di baris lanjutan), atau rumusan yang membedakan keduanya.
    """

    code = "KUA04"
    name = "Sasaran kembar dalam satu level"
    severity = Severity.PERINGATAN
    message = "Sasaran '{sasaran}' sama dengan sasaran '{first}' di baris {first_row}."
    suggestion = (
        "Gabungkan keduanya menjadi satu node (indikator lain di baris lanjutan), atau "
        "rumuskan kondisi yang berbeda."
    )

    def check(self, ctx: Context):
        berbagi = C.BERBAGI.casefold()
        office = _offices(ctx)
        for level in range(1, 6):  # RHK of peers are alike by design
            seen: dict[tuple[str, str], Node] = {}
            for node in ctx.by_level.get(level, []):
                if not node.sasaran:
                    continue
                key = (office.get(node.owner, node.owner), _sasaran_key(node.sasaran))
                first = seen.setdefault(key, node)
                if first is node:
                    continue
                shared = (
                    node.jenis_cascading.casefold() == berbagi
                    and first.jenis_cascading.casefold() == berbagi
                    and node.owner != first.owner
                )
                if not shared:
                    yield self.at_node(
                        ctx, node, C.SASARAN,
                        params=dict(sasaran=node.sasaran, first=first.id, first_row=first.row))


@register
class SasaranMissing(Rule):
    """A node (its `ID` filled) without `Sasaran`: the condition it stands for is unnamed,
    and its PK or SKP row prints an empty sasaran. The real pattern: budget records copied
    from SIPD, which carry the programme's and the activity's indicators but no sasaran.

    Salah: ``ID | P-7.01.02`` dengan ``Sasaran`` kosong · Benar: ``Sasaran | Meningkatnya
    kualitas pelayanan publik di kecamatan``.
    """

    code = "KUA05"
    name = "Sasaran kosong"
    severity = Severity.PERINGATAN
    message = "Node '{id}' tidak memiliki rumusan sasaran."
    suggestion = (
        "Rumuskan kondisi yang dituju node ini (mis. 'Meningkatnya …'); indikatornya saja "
        "tidak cukup untuk PK."
    )

    def check(self, ctx: Context):
        for node in ctx.plan.nodes:
            if node.id and not node.sasaran and ctx.has_column(node.spec.sheet, C.SASARAN):
                yield self.at_node(ctx, node, C.SASARAN)
