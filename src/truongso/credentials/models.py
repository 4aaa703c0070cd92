"""Models for issued credentials, the diploma register and status lists come later.

The cryptographic core lives in ``rules/`` and has no Django imports.
"""
