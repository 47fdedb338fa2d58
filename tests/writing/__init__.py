"""Tests of the writing desk: linter rules, golden set, composer, exports, CLI, assistant."""
