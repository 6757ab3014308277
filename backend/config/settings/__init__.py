"""Settings modules: `local` (development), `test` and `production`; all build on `base`."""
