Attribute VB_Name = "PohonKinerja"
' Tombol pohon-xl: Validasi, Turunkan, Capaian dan Buka Laporan.
' Modul ini dibuat oleh `pohon-xl makro` / `pohon-xl addin`; perubahan di sini hilang saat
' workbook dibuat ulang. Sumbernya: macros/PohonKinerja.bas di repositori pohon-xl.
' RunPython (modul xlwings) menjalankan Python untuk workbook ini (di add-in: workbook aktif).
Option Explicit

Public Sub Validasi()
    RunPython "import pohon_xl.excel.live as live; live.validasi()"
End Sub

Public Sub Turunkan()
    RunPython "import pohon_xl.excel.live as live; live.turunkan()"
End Sub

Public Sub Capaian()
    RunPython "import pohon_xl.excel.live as live; live.capaian()"
End Sub

Public Sub BukaLaporan()
    Dim laporan As Object
    On Error Resume Next
    Set laporan = ActiveWorkbook.Worksheets("Laporan_Validasi")
    On Error GoTo 0
    If laporan Is Nothing Then
        MsgBox "Sheet Laporan_Validasi belum ada. Klik Validasi dahulu.", vbInformation, "Pohon Kinerja"
    Else
        laporan.Activate
        laporan.Range("A1").Select
    End If
End Sub
