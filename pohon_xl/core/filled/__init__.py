"""The sheets people fill after the plan (`Rencana_Aksi`, `Realisasi`): their layout and
what `turunkan` writes into them."""
