"""Pure rules of school health: WHO growth z-scores and their classification."""
