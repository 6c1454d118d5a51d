"""Test helpers shared by tests/: repository builders, CLI runner, servers, fault proxy."""
