"""Pure rules shared by several domains (no Django imports)."""
