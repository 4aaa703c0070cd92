"""Pure rules for importing spreadsheets (no Django imports): dates, legacy Vietnamese
encodings, column headers, cell values and the checks on one row of each kind."""
