"""Quality of wording (kualitas rumusan): strategic and tactical indicators measure results,
not activity; a sasaran reads as a condition, not as an activity.

These are heuristics on Indonesian word forms, kept deliberately narrow: they flag the clear
cases the reviewers of PermenPANRB 89/2021 point out and stay silent when unsure.
"""

from __future__ import annotations

import re

from pohon_xl.findings import Severity
from pohon_xl.model import contract as C
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


def first_word(text: str) -> str:
    match = re.match(r"\W*([\w-]+)", text)
    return match.group(1).casefold() if match else ""


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
                    word = re.match(r"\W*([\w-]+)", node.sasaran).group(1)
                    yield self.at_node(
                        ctx, node, C.SASARAN, params=dict(sasaran=node.sasaran, word=word),
                        severity=Severity.INFO if level == 5 else None,
                    )
