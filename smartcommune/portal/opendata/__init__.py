"""The open-data catalogue: a registry of datasets, their versions, DCAT and schema.org descriptions."""
