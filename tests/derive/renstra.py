"""A realistic five-year Renstra (2025–2029) built in code.

Dinas Perhubungan Kota Contoh: two Renstra sasaran, three programmes (one serving both
sasaran), activities with several sasaran, nodes with several indicators, decimal targets and
budgets in the billions, some typed as Indonesian text ("12.345.678.900").
"""

from __future__ import annotations

from tests.derive.helpers import YEARS, jab, more, node

JABATAN = [
    jab("KDH", "Wali Kota Contoh", "Kepala Daerah", holder="H. Ahmad Fauzi"),
    jab("KADIS", "Kepala Dinas Perhubungan", "JPT", nip="197203151998031004",
        holder="Ir. Sri Rahayu, M.T.", unit="Dinas Perhubungan"),
    jab("SEK", "Sekretaris Dinas Perhubungan", "Administrator", "KADIS", "197806122003121002",
        "Drs. Bambang Sutrisno"),
    jab("KABID_LL", "Kepala Bidang Lalu Lintas", "Administrator", "KADIS", "198001012005011002",
        "Agus Salim, S.T."),
    jab("KABID_ANG", "Kepala Bidang Angkutan", "Administrator", "KADIS", "198203042006042001",
        "Dra. Melati Kusuma"),
    jab("KASI_MRL", "Kepala Seksi Manajemen dan Rekayasa Lalu Lintas", "Pengawas", "KABID_LL",
        "198501012010012003", "Dewi Lestari, S.Si."),
    jab("KASI_PJ", "Kepala Seksi Perlengkapan Jalan", "Pengawas", "KABID_LL",
        "198607082011011005", "Rudi Hartono"),
    jab("KASI_AU", "Kepala Seksi Angkutan Umum", "Pengawas", "KABID_ANG", "198709092012122006",
        "Siti Aminah"),
    jab("ANALIS", "Analis Lalu Lintas", "Fungsional", "KASI_MRL", "199001012015031004",
        "Andi Wijaya"),
]

PROGRAMS = {
    "2.15.02": "Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan (LLAJ)",
    "2.15.01": "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
    "2.15.03": "Program Pengelolaan Pelayaran",
}


def _b(billions: float, step: int) -> dict[int, object]:
    """A budget per year; every other sub-activity types it as Indonesian text."""
    out: dict[int, object] = {}
    for i, year in enumerate(YEARS):
        value = int(round(billions * 1_000_000_000)) + i * 123_456_700 + step * 1_000
        out[year] = f"{value:,}".replace(",", ".") if step % 2 else value
    return out


def _t(start: float, delta: float) -> dict[int, object]:
    return {y: round(start + i * delta, 2) for i, y in enumerate(YEARS)}


def levels() -> dict[int, list[dict[str, object]]]:
    l1 = [node("SD1", "", "Menurunnya kemacetan lalu lintas", "Level of service jalan utama",
                "indeks", "KDH", _t(0.85, -0.05), jenis="")]
    l2 = [
        node("SP1", "SD1", "Meningkatnya kinerja lalu lintas", "Kecepatan rata-rata jam sibuk",
             "km/jam", "KADIS", _t(18.5, 1.25)),
        more("V/C ratio ruas utama", "rasio", _t(0.92, -0.03)),
        node("SP2", "SD1", "Meningkatnya layanan angkutan umum", "Load factor angkutan umum",
             "%", "KADIS", _t(55.5, 2.5)),
    ]
    l3 = [
        node("PR1", "SP1", "Menurunnya volume kendaraan pada jam sibuk",
             "Rata-rata kendaraan per jam di koridor ganjil-genap", "kendaraan/jam", "KABID_LL",
             _t(4250, -125.5), code="2.15.02", name=PROGRAMS["2.15.02"]),
        more("Panjang antrean rata-rata", "meter", _t(310.25, -12.5)),
        node("PR2", "SP2", "Meningkatnya keandalan angkutan umum", "Ketepatan jadwal",
             "%", "KABID_ANG", _t(72.5, 3.75), code="2.15.02", name=PROGRAMS["2.15.02"]),
        node("PR3", "SP1", "Meningkatnya akuntabilitas kinerja perangkat daerah",
             "Nilai SAKIP Dinas", "nilai", "SEK", _t(68.25, 1.5), code="2.15.01",
             name=PROGRAMS["2.15.01"]),
        node("PR4", "SP2", "Meningkatnya keselamatan penyeberangan", "Kecelakaan penyeberangan",
             "kejadian", "KABID_ANG", _t(3, -0.5), code="2.15.03", name=PROGRAMS["2.15.03"]),
    ]
    keg_mrl = "Pelaksanaan Manajemen dan Rekayasa Lalu Lintas untuk Jaringan Jalan Kabupaten/Kota"
    l4 = [
        node("KG1", "PR1", "Terlaksananya rekayasa lalu lintas ganjil-genap yang efektif",
             "Persentase penurunan volume kendaraan di koridor ganjil-genap", "%", "KASI_MRL",
             _t(7.5, 1.25), code="2.15.02.2.01", name=keg_mrl),
        more("Tingkat kepatuhan pengendara", "%", _t(80.5, 2.25)),
        node("KG2", "PR1", "Terkendalinya parkir di badan jalan", "Ruas bebas parkir liar", "ruas",
             "KASI_MRL", _t(12, 3), code="2.15.02.2.01", name=keg_mrl),
        node("KG3", "PR1", "Tersedianya perlengkapan jalan yang memadai",
             "Persentase ruas dengan perlengkapan jalan lengkap", "%", "KASI_PJ", _t(64.75, 4.5),
             code="2.15.02.2.02",
             name="Penyediaan Perlengkapan Jalan di Jalan Kabupaten/Kota"),
        node("KG4", "PR2", "Meningkatnya kinerja angkutan umum", "Armada laik jalan", "%",
             "KASI_AU", _t(88.5, 1.5), code="2.15.02.2.03",
             name="Pengendalian dan Pengawasan Angkutan Umum"),
        node("KG5", "PR3", "Tersusunnya dokumen perencanaan dan evaluasi kinerja",
             "Dokumen tepat waktu", "%", "SEK", _t(90, 2.5), code="2.15.01.1.01",
             name="Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah"),
        node("KG6", "PR4", "Terlaksananya pengawasan penyeberangan", "Trip diawasi", "%",
             "KASI_AU", _t(60, 7.5), code="2.15.03.2.01",
             name="Penerbitan Izin Usaha Angkutan Laut"),
    ]
    l5 = [
        node("SK1", "KG1", "Terpasangnya plang kawasan ganjil-genap", "Jumlah plang terpasang",
             "unit", "ANALIS", _t(24, 6), code="2.15.02.2.01.0003",
             name="Pengadaan, Pemasangan, Perbaikan dan Pemeliharaan Perlengkapan Jalan",
             budget=_b(12.3456789, 0)),
        more("Jumlah titik kamera ETLE", "titik", _t(4, 2)),
        node("SK2", "KG1", "Tersosialisasinya ganjil-genap", "Jumlah sosialisasi", "kali",
             "KASI_MRL", _t(12, 0), code="2.15.02.2.01.0005",
             name="Sosialisasi Manajemen Lalu Lintas", budget=_b(0.75, 1)),
        node("SK3", "KG2", "Tertibnya juru parkir", "Juru parkir bersertifikat", "orang",
             "KASI_MRL", _t(150, 25), code="2.15.02.2.01.0007",
             name="Penataan Perparkiran", budget=_b(2.5, 2)),
        node("SK4", "KG3", "Terpasangnya rambu dan marka", "Panjang marka", "km", "KASI_PJ",
             _t(35.5, 4.25), code="2.15.02.2.02.0001",
             name="Pembangunan Perlengkapan Jalan", budget=_b(8.9, 3)),
        more("Jumlah rambu", "unit", _t(420, 35)),
        node("SK5", "KG4", "Terujinya kendaraan bermotor", "Kendaraan diuji", "unit", "KASI_AU",
             _t(12500, 750), code="2.15.02.2.03.0002", name="Pengujian Berkala Kendaraan Bermotor",
             budget=_b(1.2, 4)),
        node("SK6", "KG5", "Tersusunnya Renja dan LKjIP", "Dokumen", "dokumen", "SEK",
             _t(4, 0), code="2.15.01.1.01.0001", name="Penyusunan Dokumen Perencanaan",
             budget=_b(0.35, 5)),
        node("SK7", "KG6", "Terawasinya kapal penyeberangan", "Kapal diawasi", "unit", "KASI_AU",
             _t(48, 4), code="2.15.03.2.01.0002", name="Pengawasan Angkutan Penyeberangan",
             budget=_b(0.4, 6)),
    ]
    l6 = [
        node("RH1", "SK1", "Tersusunnya rencana pemasangan plang", "Dokumen rencana", "dokumen",
             "ANALIS", {2026: 1}, aspek="Kuantitas"),
        more("Ketepatan waktu penyusunan", "bulan", {2026: 3}, aspek="Waktu"),
    ]
    return {1: l1, 2: l2, 3: l3, 4: l4, 5: l5, 6: l6}


def parse_rupiah(value: object) -> int:
    """Independent of the product's parser: int, or text with dots as thousands."""
    return value if isinstance(value, int) else int(str(value).replace(".", ""))
