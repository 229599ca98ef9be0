Attribute VB_Name = "PohonKinerjaPita"
' Tab pita (ribbon) Pohon Kinerja dari add-in PohonKinerja.xlam: setiap tombol memanggil
' makro di modul PohonKinerja untuk workbook yang sedang aktif.
' Sumbernya: macros/PohonKinerjaPita.bas di repositori pohon-xl.
Option Explicit

Public Sub PitaValidasi(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then Exit Sub
    PohonKinerja.Validasi
End Sub

Public Sub PitaTurunkan(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then Exit Sub
    PohonKinerja.Turunkan
End Sub

Public Sub PitaCapaian(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then Exit Sub
    PohonKinerja.Capaian
End Sub

Public Sub PitaBukaLaporan(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then Exit Sub
    PohonKinerja.BukaLaporan
End Sub
