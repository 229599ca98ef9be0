"""The kinds of finding of a batch's cross-workbook checks (group ``BAT``), declared as data.

They live in the core, beside :class:`~pohon_xl.findings.FindingType`, so that the rule
catalogue (``pohon-xl aturan``) lists them without importing the batch adapter; the checks
that make them are in :mod:`pohon_xl.batch.cross`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pohon_xl.findings import Finding, FindingType, Location, Severity

GROUP = ("BAT", "Batch: lintas workbook")


@dataclass(frozen=True)
class CrossRule(FindingType):
    def finding(self, source: str, location: Location = Location(), *, node_id: str = "",
                level: int = 0, params: Mapping[str, object] | None = None) -> Finding:
        return self.make(location, node_id=node_id, level=level, source=source, params=params)


DUPLICATE_ID = CrossRule(
    "BAT01", Severity.GALAT, "ID dipakai dua workbook",
    "ID '{id}' juga dipakai di {others}; tautan ID Induk ke ID ini menjadi rancu.",
    "ID harus unik di seluruh instansi: beri awalan kode perangkat daerah (mis. "
    "{prefix}-L3-01) dan sesuaikan ID Induk di bawahnya.",
)
L2_PARENT_NOT_IN_BODY = CrossRule(
    "BAT02", Severity.GALAT, "Induk L2 tidak ada di L1 instansi",
    "ID Induk '{parent}' tidak ditemukan di antara sasaran L1 workbook instansi ({body}).",
    "Isi ID Induk dengan ID sasaran daerah (L1) dari workbook instansi: {choices}.",
)
L1_UNSUPPORTED = CrossRule(
    "BAT03", Severity.PERINGATAN, "Sasaran L1 tidak didukung perangkat daerah sampai L5",
    "Sasaran daerah '{id}' ({sasaran}) tidak didukung sampai L5 oleh workbook perangkat daerah "
    "mana pun (terdalam: L{deepest}).",
    "Pastikan perangkat daerah yang bertanggung jawab mengisi sasaran L2 dengan ID Induk {id} "
    "dan menurunkannya sampai subkegiatan (L5).",
)
COLLABORATOR_ABSENT = CrossRule(
    "BAT04", Severity.PERINGATAN, "Kolaborator belum berkontribusi",
    "{code} tercantum sebagai Kolaborator sasaran '{id}', tetapi workbook {code} ({other}) "
    "tidak berisi sasaran di bawahnya.",
    "Koordinasikan dengan {code} agar menambahkan sasaran dengan ID Induk {id}, atau hapus "
    "{code} dari Kolaborator.",
)
COLLABORATOR_ASKED = CrossRule(
    "BAT05", Severity.INFO, "Diminta berkolaborasi",
    "Workbook {owner} mencantumkan {code} sebagai Kolaborator sasaran '{id}' ({sasaran}), "
    "tetapi workbook ini belum berisi sasaran di bawahnya.",
    "Tambahkan sasaran perangkat daerah Anda dengan ID Induk {id} bila memang berkontribusi, "
    "atau minta {owner} menghapus {code} dari Kolaborator.",
)
COLLABORATOR_UNKNOWN = CrossRule(
    "BAT06", Severity.INFO, "Kolaborator tidak dikenal",
    "Kolaborator '{code}' bukan kode perangkat daerah yang mengirim workbook dan bukan Kode "
    "Jabatan di workbook mana pun.",
    "Periksa ejaan kode; bila {code} berada di luar instansi (mis. kepolisian), abaikan.",
)
FOREIGN_OWNER = CrossRule(
    "BAT07", Severity.GALAT, "Sasaran milik jabatan perangkat daerah lain",
    "Pemilik Kinerja '{owner}' adalah jabatan {name} di {other}, bukan jabatan di "
    "workbook ini; perangkat daerah hanya menyusun sasaran jabatannya sendiri.",
    "Hapus sasaran ini (biar {other} yang mengisinya) atau ganti pemiliknya dengan jabatan "
    "di sheet Jabatan workbook ini.",
)
OFFICE_DEFINES_L1 = CrossRule(
    "BAT08", Severity.GALAT, "Perangkat daerah mengisi L1",
    "Workbook perangkat daerah berisi sasaran daerah (L1) '{id}'; L1 ditetapkan di workbook "
    "instansi ({body}).",
    "Kosongkan sheet L1 di workbook ini; rujuk sasaran daerah lewat ID Induk di L2.",
)
POSITION_CONFLICT = CrossRule(
    "BAT09", Severity.GALAT, "Satu kode jabatan, dua jabatan",
    "Kode Jabatan '{code}' di sini adalah '{name}'{nip}, tetapi di {other} adalah "
    "'{other_name}'{other_nip}.",
    "Samakan data jabatan {code} dengan {other}, atau beri jabatan ini kode lain.",
)
NO_BODY = CrossRule(
    "BAT10", Severity.GALAT, "Workbook instansi tidak ada",
    "Tidak ada workbook tingkat instansi (Perangkat Daerah kosong) di antara {count} "
    "workbook yang terbaca; L2 perangkat daerah tidak dapat ditautkan ke sasaran daerah (L1).",
    "Sertakan workbook instansi (L1 dan Jabatan Kepala Daerah) di folder kotak masuk.",
)
EXTRA_BODY = CrossRule(
    "BAT11", Severity.GALAT, "Workbook instansi ganda",
    "Perangkat Daerah kosong sehingga workbook ini dianggap workbook instansi, padahal {body} "
    "sudah menjadi workbook instansi.",
    "Isi Perangkat Daerah dan Kode Perangkat Daerah di sheet Identitas, atau kirim hanya satu "
    "workbook instansi.",
)
DUPLICATE_OFFICE = CrossRule(
    "BAT12", Severity.PERINGATAN, "Dua workbook satu perangkat daerah",
    "Kode Perangkat Daerah '{code}' juga dipakai oleh {others}.",
    "Kirim satu workbook per perangkat daerah; periksa Kode Perangkat Daerah di Identitas.",
)

HEAD_WITHOUT_SUPERIOR = CrossRule(
    "BAT13", Severity.PERINGATAN, "Atasan kepala perangkat daerah tidak ditemukan",
    "Jabatan '{code}' ({name}) beratasan '{superior}', yang tidak ada di Jabatan workbook "
    "instansi ({body}) maupun workbook lain; PK-nya tidak memiliki pihak kedua.",
    "Isi Kode Jabatan Atasan dengan Kode Jabatan Kepala Daerah seperti di workbook instansi.",
)
MALFORMED_EMAIL = CrossRule(
    "BAT14", Severity.PERINGATAN, "Email Identitas bukan satu alamat",
    "Email di Identitas berisi '{value}', bukan satu alamat surel; {used}.",
    "Tulis satu alamat surel saja di sel Email (mis. perencanaan@dinas.go.id), tanpa baris "
    "kedua, nama atau teks lain.",
)

CATALOGUE: tuple[CrossRule, ...] = (
    DUPLICATE_ID,
    L2_PARENT_NOT_IN_BODY,
    L1_UNSUPPORTED,
    COLLABORATOR_ABSENT,
    COLLABORATOR_ASKED,
    COLLABORATOR_UNKNOWN,
    FOREIGN_OWNER,
    OFFICE_DEFINES_L1,
    POSITION_CONFLICT,
    NO_BODY,
    EXTRA_BODY,
    DUPLICATE_OFFICE,
    HEAD_WITHOUT_SUPERIOR,
    MALFORMED_EMAIL,
)
