"""Benchmarks: each module measures one hot path against a floor measured in the same run."""
