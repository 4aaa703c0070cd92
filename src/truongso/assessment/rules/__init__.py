"""Pure assessment rules (no Django): one engine per kind of regulation, parameters as data."""
