from pohon_xl.cli import run

run()
