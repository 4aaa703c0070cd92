"""Pure rules of facilities: the equipment gap report, the norms, reading a list file.
No Django imports here."""
