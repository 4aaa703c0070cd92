"""Writes of the exchange: sending (outbox, push), receiving (batches, conflicts, nodes)."""
