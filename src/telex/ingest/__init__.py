"""Ingest: files and folders in, `Document` records (or `SkippedInput` reasons) out."""

from telex.ingest.readers import SUPPORTED_SUFFIXES, iter_inputs, read_path

__all__ = ["SUPPORTED_SUFFIXES", "iter_inputs", "read_path"]
