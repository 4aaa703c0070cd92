"""Trường Số — education management platform for Vietnam."""
