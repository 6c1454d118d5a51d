"""Watch mode (SPEC §7): upload every finished output file of the watched folders."""
