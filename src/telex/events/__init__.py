"""Events stage: French predicate patterns over the dependency parse, CAMEO codes, modality."""
