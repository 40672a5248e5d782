"""Tests of gatekeeper.definitions: YAML loading, validation and the catalog."""
