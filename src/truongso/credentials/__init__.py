"""Credentials: digital diplomas and report cards (văn bằng, học bạ số) and their verification."""
