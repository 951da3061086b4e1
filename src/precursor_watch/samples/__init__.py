"""Seeded sample orders for demos, tests and benchmarks."""

from precursor_watch.samples.generator import SampleOrder, generate, write_sample

__all__ = ["SampleOrder", "generate", "write_sample"]
