"""Pure rules of the statistics (no Django): figure cells, validation, UIS indicators."""
